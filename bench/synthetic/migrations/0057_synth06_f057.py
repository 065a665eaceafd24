from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0056_synth06_f056")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f057",
            field=models.IntegerField(null=True),
        ),
    ]
