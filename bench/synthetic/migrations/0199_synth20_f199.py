from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0198_synth20_f198")]
    operations = [
        migrations.AddField(
            model_name="synth20",
            name="f199",
            field=models.IntegerField(null=True),
        ),
    ]
