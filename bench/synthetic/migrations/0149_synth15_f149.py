from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0148_synth15_f148")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f149",
            field=models.IntegerField(null=True),
        ),
    ]
