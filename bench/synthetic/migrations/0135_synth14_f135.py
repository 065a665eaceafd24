from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0134_synth14_f134")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f135",
            field=models.IntegerField(null=True),
        ),
    ]
