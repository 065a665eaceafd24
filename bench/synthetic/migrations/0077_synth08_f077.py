from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0076_synth08_f076")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f077",
            field=models.IntegerField(null=True),
        ),
    ]
