from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0174_synth18_f174")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f175",
            field=models.IntegerField(null=True),
        ),
    ]
