from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0021_create_synth03")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f022",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
