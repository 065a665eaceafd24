from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0091_create_synth10")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f092",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
