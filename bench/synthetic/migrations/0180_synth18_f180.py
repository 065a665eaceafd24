from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0179_synth18_f179")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f180",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
