from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0049_synth05_f049")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f050",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
