from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0127_synth13_f127")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f128",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
