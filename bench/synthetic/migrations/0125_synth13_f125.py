from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0124_synth13_f124")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f125",
            field=models.IntegerField(null=True),
        ),
    ]
