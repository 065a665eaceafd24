from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0135_synth14_f135")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f136",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
