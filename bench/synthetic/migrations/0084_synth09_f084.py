from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0083_synth09_f083")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f084",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
