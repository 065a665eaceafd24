from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0133_synth14_f133")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f134",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
