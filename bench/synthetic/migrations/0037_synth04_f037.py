from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0036_synth04_f036")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f037",
            field=models.IntegerField(null=True),
        ),
    ]
