from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0172_synth18_f172")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f173",
            field=models.IntegerField(null=True),
        ),
    ]
