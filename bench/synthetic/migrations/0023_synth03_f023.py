from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0022_synth03_f022")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f023",
            field=models.IntegerField(null=True),
        ),
    ]
