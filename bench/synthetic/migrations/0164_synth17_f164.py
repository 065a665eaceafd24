from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0163_synth17_f163")]
    operations = [
        migrations.AddField(
            model_name="synth17",
            name="f164",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
