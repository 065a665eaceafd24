from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0003_synth01_f003")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f004",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
