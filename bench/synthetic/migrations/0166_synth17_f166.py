from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0165_synth17_f165")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f166",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
