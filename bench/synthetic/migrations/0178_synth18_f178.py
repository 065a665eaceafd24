from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0177_synth18_f177")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f178",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
