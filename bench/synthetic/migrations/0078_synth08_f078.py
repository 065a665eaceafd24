from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0077_synth08_f077")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f078",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
