from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0121_create_synth13")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f122",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
