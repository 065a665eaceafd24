from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0136_synth14_f136")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f137",
            field=models.IntegerField(null=True),
        ),
    ]
