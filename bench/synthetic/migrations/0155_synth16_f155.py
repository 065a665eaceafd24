from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0154_synth16_f154")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f155",
            field=models.IntegerField(null=True),
        ),
    ]
