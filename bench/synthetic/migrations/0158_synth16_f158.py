from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0157_synth16_f157")]
    operations = [
        migrations.AddField(
            model_name="synth16",
            name="f158",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
