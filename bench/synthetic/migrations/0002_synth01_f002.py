from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0001_create_synth01")]
    operations = [
        migrations.AddField(
            model_name="synth01",
            name="f002",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
