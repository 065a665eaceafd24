from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0016_synth02_f016")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f017",
            field=models.IntegerField(null=True),
        ),
    ]
