from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0176_synth18_f176")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f177",
            field=models.IntegerField(null=True),
        ),
    ]
