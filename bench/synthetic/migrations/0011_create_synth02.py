from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0010_synth01_f010")]
    operations = [
        migrations.CreateModel(
            name="Synth02",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
