from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0089_synth09_f089")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f090",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
