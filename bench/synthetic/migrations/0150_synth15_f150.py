from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0149_synth15_f149")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f150",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
