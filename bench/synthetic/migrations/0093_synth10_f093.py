from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0092_synth10_f092")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f093",
            field=models.IntegerField(null=True),
        ),
    ]
