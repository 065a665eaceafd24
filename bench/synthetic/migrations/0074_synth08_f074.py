from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0073_synth08_f073")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f074",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
