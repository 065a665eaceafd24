from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0034_synth04_f034")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f035",
            field=models.IntegerField(null=True),
        ),
    ]
