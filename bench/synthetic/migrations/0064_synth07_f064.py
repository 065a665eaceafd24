from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0063_synth07_f063")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f064",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
