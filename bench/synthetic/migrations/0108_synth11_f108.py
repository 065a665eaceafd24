from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0107_synth11_f107")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f108",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
