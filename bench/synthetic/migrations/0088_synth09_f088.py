from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0087_synth09_f087")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f088",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
