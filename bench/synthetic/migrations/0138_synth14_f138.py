from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0137_synth14_f137")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f138",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
