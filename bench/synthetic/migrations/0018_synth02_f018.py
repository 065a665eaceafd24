from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0017_synth02_f017")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f018",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
