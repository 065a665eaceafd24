from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0100_synth10_f100")]
    operations = [
        migrations.CreateModel(
            name="Synth11",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
