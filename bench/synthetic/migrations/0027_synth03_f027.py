from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0026_synth03_f026")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f027",
            field=models.IntegerField(null=True),
        ),
    ]
