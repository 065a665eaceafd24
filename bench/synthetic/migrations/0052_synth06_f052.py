from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0051_create_synth06")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f052",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
