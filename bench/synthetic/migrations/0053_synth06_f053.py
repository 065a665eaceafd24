from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0052_synth06_f052")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f053",
            field=models.IntegerField(null=True),
        ),
    ]
