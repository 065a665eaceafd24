from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0102_synth11_f102")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f103",
            field=models.IntegerField(null=True),
        ),
    ]
