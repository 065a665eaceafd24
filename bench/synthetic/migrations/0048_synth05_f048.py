from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0047_synth05_f047")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f048",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
