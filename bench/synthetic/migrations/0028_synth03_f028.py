from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0027_synth03_f027")]
    operations = [
        migrations.AddField(
            model_name="synth03",
            name="f028",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
