from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0041_create_synth05")]
    operations = [
        migrations.AddField(
            model_name="synth05",
            name="f042",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
