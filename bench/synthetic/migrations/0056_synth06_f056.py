from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0055_synth06_f055")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f056",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
