from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0101_create_synth11")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f102",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
