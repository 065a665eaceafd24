from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0070_synth07_f070")]
    operations = [
        migrations.CreateModel(
            name="Synth08",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False)),
                ("name", models.CharField(max_length=60, default="")),
            ],
        ),
    ]
