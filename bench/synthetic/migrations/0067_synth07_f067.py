from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0066_synth07_f066")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f067",
            field=models.IntegerField(null=True),
        ),
    ]
