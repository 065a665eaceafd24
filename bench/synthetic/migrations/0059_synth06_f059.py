from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0058_synth06_f058")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f059",
            field=models.IntegerField(null=True),
        ),
    ]
