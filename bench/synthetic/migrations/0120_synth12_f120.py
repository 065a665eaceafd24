from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0119_synth12_f119")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f120",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
