from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0189_synth19_f189")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f190",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
