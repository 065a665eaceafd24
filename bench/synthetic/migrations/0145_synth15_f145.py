from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0144_synth15_f144")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f145",
            field=models.IntegerField(null=True),
        ),
    ]
