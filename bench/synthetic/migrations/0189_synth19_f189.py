from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0188_synth19_f188")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f189",
            field=models.IntegerField(null=True),
        ),
    ]
