from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0054_synth06_f054")]
    operations = [
        migrations.AddField(
            model_name="synth06",
            name="f055",
            field=models.IntegerField(null=True),
        ),
    ]
