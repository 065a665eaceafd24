from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0025_synth03_f025")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f026",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
