from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0080_synth08_f080")]
    operations = [
        migrations.CreateModel(
            name="Synth09",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
