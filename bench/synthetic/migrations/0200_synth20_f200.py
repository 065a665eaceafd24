from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0199_synth20_f199")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f200",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
