from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0009_synth01_f009")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f010",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
