from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0115_synth12_f115")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f116",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
