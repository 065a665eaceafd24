from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0064_synth07_f064")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f065",
            field=models.IntegerField(null=True),
        ),
    ]
