from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0050_synth05_f050")]
    operations = [
        migrations.CreateModel(
            name="Synth06",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
