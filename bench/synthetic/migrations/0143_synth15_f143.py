from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0142_synth15_f142")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f143",
            field=models.IntegerField(null=True),
        ),
    ]
