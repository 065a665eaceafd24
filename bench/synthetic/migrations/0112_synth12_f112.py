from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0111_create_synth12")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f112",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
