from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0183_synth19_f183")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f184",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
