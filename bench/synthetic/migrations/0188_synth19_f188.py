from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0187_synth19_f187")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f188",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
