from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0156_synth16_f156")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f157",
            field=models.IntegerField(null=True),
        ),
    ]
