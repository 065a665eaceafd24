from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0171_create_synth18")]
    operations = [
        migrations.AddField(
            model_name="synth18",
            name="f172",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
