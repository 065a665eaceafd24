from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0053_synth06_f053")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f054",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
