from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0106_synth11_f106")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f107",
            field=models.IntegerField(null=True),
        ),
    ]
