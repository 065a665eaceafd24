from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0035_synth04_f035")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f036",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
