from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0184_synth19_f184")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f185",
            field=models.IntegerField(null=True),
        ),
    ]
