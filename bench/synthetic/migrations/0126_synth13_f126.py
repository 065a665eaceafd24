from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0125_synth13_f125")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f126",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
