from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0069_synth07_f069")]
    operations = [
        migrations.AddField(
            model_name="synth07",
            name="f070",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
