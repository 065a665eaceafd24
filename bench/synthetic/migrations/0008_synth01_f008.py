from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0007_synth01_f007")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f008",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
