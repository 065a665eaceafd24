from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0191_create_synth20")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f192",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
