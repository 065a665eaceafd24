from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0182_synth19_f182")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f183",
            field=models.IntegerField(null=True),
        ),
    ]
