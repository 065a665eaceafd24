from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0044_synth05_f044")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f045",
            field=models.IntegerField(null=True),
        ),
    ]
