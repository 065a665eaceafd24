from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0082_synth09_f082")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f083",
            field=models.IntegerField(null=True),
        ),
    ]
