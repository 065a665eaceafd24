from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0008_synth01_f008")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f009",
            field=models.IntegerField(null=True),
        ),
    ]
