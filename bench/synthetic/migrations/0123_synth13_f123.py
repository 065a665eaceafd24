from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0122_synth13_f122")]
    operations = [
        migrations.AddField(
            model_name="synth13",
            name="f123",
            field=models.IntegerField(null=True),
        ),
    ]
