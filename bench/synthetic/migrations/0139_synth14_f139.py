from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0138_synth14_f138")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f139",
            field=models.IntegerField(null=True),
        ),
    ]
