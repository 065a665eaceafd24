from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0068_synth07_f068")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f069",
            field=models.IntegerField(null=True),
        ),
    ]
