from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0015_synth02_f015")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f016",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
