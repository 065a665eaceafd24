from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0161_create_synth17")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f162",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
