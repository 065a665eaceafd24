from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0086_synth09_f086")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f087",
            field=models.IntegerField(null=True),
        ),
    ]
