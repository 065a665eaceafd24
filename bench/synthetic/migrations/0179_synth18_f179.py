from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0178_synth18_f178")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f179",
            field=models.IntegerField(null=True),
        ),
    ]
