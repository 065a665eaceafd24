from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0098_synth10_f098")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f099",
            field=models.IntegerField(null=True),
        ),
    ]
