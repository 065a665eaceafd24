from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0162_synth17_f162")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f163",
            field=models.IntegerField(null=True),
        ),
    ]
