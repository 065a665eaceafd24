from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0094_synth10_f094")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f095",
            field=models.IntegerField(null=True),
        ),
    ]
