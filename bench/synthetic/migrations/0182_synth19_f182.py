from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0181_create_synth19")]
    operations = [
        migrations.AddField(
            model_name="synth19",
            name="f182",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
