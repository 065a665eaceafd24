from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0093_synth10_f093")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f094",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
