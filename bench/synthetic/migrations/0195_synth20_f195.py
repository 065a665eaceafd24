from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0194_synth20_f194")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f195",
            field=models.IntegerField(null=True),
        ),
    ]
