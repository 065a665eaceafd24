from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0196_synth20_f196")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f197",
            field=models.IntegerField(null=True),
        ),
    ]
