from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0062_synth07_f062")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f063",
            field=models.IntegerField(null=True),
        ),
    ]
