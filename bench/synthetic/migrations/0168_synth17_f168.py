from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0167_synth17_f167")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f168",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
