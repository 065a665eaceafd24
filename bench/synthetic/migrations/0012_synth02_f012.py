from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0011_create_synth02")]
    operations = [
        migrations.AddField(
            model_name="synth02",
            name="f012",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
