from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0039_synth04_f039")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f040",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
