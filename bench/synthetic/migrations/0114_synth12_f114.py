from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0113_synth12_f113")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f114",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
