from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0084_synth09_f084")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f085",
            field=models.IntegerField(null=True),
        ),
    ]
