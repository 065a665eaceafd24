from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0103_synth11_f103")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f104",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
