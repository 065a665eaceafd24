from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0014_synth02_f014")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f015",
            field=models.IntegerField(null=True),
        ),
    ]
