from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0059_synth06_f059")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f060",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
