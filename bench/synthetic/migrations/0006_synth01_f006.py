from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0005_synth01_f005")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f006",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
