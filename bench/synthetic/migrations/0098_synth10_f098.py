from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0097_synth10_f097")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f098",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
