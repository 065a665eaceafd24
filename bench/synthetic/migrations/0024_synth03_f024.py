from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0023_synth03_f023")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f024",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
