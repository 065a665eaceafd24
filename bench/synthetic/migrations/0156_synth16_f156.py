from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0155_synth16_f155")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f156",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
