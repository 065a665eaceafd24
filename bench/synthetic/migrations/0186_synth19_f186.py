from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0185_synth19_f185")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f186",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
