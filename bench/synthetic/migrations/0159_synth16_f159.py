from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0158_synth16_f158")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f159",
            field=models.IntegerField(null=True),
        ),
    ]
