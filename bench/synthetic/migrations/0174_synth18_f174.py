from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0173_synth18_f173")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f174",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
