from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0159_synth16_f159")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f160",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
