from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0045_synth05_f045")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f046",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
