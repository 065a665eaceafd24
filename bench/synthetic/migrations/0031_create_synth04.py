from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0030_synth03_f030")]
    operations = [
        migrations.CreateModel(
            name="Synth04",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
