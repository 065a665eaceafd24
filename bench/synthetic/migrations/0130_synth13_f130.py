from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0129_synth13_f129")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f130",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
