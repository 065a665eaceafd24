from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0043_synth05_f043")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f044",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
