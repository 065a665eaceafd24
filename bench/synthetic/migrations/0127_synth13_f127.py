from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0126_synth13_f126")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f127",
            field=models.IntegerField(null=True),
        ),
    ]
