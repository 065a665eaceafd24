from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0096_synth10_f096")]
    operations = [
        migrations.AddField(
            model_name="synth10",
            name="f097",
            field=models.IntegerField(null=True),
        ),
    ]
