from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0166_synth17_f166")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f167",
            field=models.IntegerField(null=True),
        ),
    ]
