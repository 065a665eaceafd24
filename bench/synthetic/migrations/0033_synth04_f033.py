from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0032_synth04_f032")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f033",
            field=models.IntegerField(null=True),
        ),
    ]
