from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0029_synth03_f029")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f030",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
