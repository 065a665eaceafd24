from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0147_synth15_f147")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f148",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
