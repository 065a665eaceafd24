from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0018_synth02_f018")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f019",
            field=models.IntegerField(null=True),
        ),
    ]
