from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0065_synth07_f065")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f066",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
