from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0006_synth01_f006")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f007",
            field=models.IntegerField(null=True),
        ),
    ]
