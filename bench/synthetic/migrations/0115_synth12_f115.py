from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0114_synth12_f114")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f115",
            field=models.IntegerField(null=True),
        ),
    ]
