from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0164_synth17_f164")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f165",
            field=models.IntegerField(null=True),
        ),
    ]
