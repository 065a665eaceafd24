from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0040_synth04_f040")]
    operations = [
        migrations.CreateModel(
            name="Synth05",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
