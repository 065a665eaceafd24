from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0175_synth18_f175")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f176",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
