from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0153_synth16_f153")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f154",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
