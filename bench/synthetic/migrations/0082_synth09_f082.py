from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0081_create_synth09")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f082",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
