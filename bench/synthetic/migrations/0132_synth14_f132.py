from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0131_create_synth14")]
    operations = [
        migrations.AddField(
            model_name="synth14",
            name="f132",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
