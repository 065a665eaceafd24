from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0004_synth01_f004")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f005",
            field=models.IntegerField(null=True),
        ),
    ]
