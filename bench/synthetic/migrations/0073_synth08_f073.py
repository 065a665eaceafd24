from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0072_synth08_f072")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f073",
            field=models.IntegerField(null=True),
        ),
    ]
