from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0048_synth05_f048")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f049",
            field=models.IntegerField(null=True),
        ),
    ]
