from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0071_create_synth08")]
    operations = [
        migrations.AddField(
            model_name="synth08",
            name="f072",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
