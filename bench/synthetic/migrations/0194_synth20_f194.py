from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0193_synth20_f193")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f194",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
