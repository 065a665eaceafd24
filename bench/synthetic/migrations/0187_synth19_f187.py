from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0186_synth19_f186")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f187",
            field=models.IntegerField(null=True),
        ),
    ]
