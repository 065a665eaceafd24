from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0108_synth11_f108")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f109",
            field=models.IntegerField(null=True),
        ),
    ]
