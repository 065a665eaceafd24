from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0143_synth15_f143")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f144",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
