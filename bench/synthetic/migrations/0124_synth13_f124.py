from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0123_synth13_f123")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f124",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
