from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0145_synth15_f145")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f146",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
