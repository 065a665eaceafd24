from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0031_create_synth04")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f032",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
