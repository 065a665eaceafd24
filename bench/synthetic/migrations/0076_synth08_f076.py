from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0075_synth08_f075")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f076",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
