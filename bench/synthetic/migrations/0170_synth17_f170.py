from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0169_synth17_f169")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f170",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
