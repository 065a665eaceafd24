from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0013_synth02_f013")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f014",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
