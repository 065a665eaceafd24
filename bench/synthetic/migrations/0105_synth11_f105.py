from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0104_synth11_f104")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f105",
            field=models.IntegerField(null=True),
        ),
    ]
