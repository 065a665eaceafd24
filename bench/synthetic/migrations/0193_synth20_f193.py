from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0192_synth20_f192")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f193",
            field=models.IntegerField(null=True),
        ),
    ]
