from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0033_synth04_f033")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f034",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
