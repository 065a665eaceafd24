from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0112_synth12_f112")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f113",
            field=models.IntegerField(null=True),
        ),
    ]
