from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0024_synth03_f024")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f025",
            field=models.IntegerField(null=True),
        ),
    ]
