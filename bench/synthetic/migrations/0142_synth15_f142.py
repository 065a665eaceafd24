from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0141_create_synth15")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f142",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
