from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0109_synth11_f109")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f110",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
