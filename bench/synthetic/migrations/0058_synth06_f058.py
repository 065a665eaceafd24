from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0057_synth06_f057")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f058",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
