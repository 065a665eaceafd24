from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0099_synth10_f099")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f100",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
