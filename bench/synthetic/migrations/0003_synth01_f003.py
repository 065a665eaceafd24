from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0002_synth01_f002")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f003",
            field=models.IntegerField(null=True),
        ),
    ]
