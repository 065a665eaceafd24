from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0088_synth09_f088")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f089",
            field=models.IntegerField(null=True),
        ),
    ]
