from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0116_synth12_f116")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f117",
            field=models.IntegerField(null=True),
        ),
    ]
