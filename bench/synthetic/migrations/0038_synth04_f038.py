from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0037_synth04_f037")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f038",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
