from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0132_synth14_f132")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f133",
            field=models.IntegerField(null=True),
        ),
    ]
