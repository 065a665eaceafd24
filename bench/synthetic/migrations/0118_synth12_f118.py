from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0117_synth12_f117")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f118",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
