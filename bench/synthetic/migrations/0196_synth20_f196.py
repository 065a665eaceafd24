from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0195_synth20_f195")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f196",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
