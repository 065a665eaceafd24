from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0079_synth08_f079")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f080",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
