from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0060_synth06_f060")]
    operations = [
        migrations.CreateModel(
            name="Synth07",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
