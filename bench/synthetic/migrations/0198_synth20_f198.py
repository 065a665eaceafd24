from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0197_synth20_f197")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f198",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
