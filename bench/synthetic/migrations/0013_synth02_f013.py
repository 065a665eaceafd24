from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0012_synth02_f012")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f013",
            field=models.IntegerField(null=True),
        ),
    ]
