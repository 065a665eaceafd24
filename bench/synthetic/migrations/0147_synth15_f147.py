from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0146_synth15_f146")]
    operations = [
        migrations.AddField(
            model_name="synth15",
            name="f147",
            field=models.IntegerField(null=True),
        ),
    ]
