from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0028_synth03_f028")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f029",
            field=models.IntegerField(null=True),
        ),
    ]
