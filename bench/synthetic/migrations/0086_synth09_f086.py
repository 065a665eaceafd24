from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0085_synth09_f085")]
    operations = [
        migrations.AddField(
            model_name="synth09",
            name="f086",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
