from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0038_synth04_f038")]
    operations = [
        migrations.AddField(
            model_name="synth04",
            name="f039",
            field=models.IntegerField(null=True),
        ),
    ]
