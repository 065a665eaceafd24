from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0046_synth05_f046")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f047",
            field=models.IntegerField(null=True),
        ),
    ]
