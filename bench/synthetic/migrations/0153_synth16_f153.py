from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0152_synth16_f152")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f153",
            field=models.IntegerField(null=True),
        ),
    ]
