from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0139_synth14_f139")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f140",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
