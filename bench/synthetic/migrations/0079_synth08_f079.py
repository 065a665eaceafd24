from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0078_synth08_f078")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f079",
            field=models.IntegerField(null=True),
        ),
    ]
