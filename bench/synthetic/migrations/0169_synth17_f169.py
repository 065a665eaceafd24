from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0168_synth17_f168")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f169",
            field=models.IntegerField(null=True),
        ),
    ]
