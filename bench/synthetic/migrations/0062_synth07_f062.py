from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0061_create_synth07")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f062",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
