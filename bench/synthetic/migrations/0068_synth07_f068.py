from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0067_synth07_f067")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f068",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
