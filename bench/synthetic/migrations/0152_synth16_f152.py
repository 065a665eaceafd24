from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0151_create_synth16")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f152",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
