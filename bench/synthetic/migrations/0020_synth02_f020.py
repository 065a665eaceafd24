from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0019_synth02_f019")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f020",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
