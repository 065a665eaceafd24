from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0128_synth13_f128")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f129",
            field=models.IntegerField(null=True),
        ),
    ]
