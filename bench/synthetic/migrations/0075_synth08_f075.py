from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0074_synth08_f074")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f075",
            field=models.IntegerField(null=True),
        ),
    ]
