from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0095_synth10_f095")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f096",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
