from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0042_synth05_f042")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f043",
            field=models.IntegerField(null=True),
        ),
    ]
