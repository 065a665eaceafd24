from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0118_synth12_f118")]
    operations = [
        migrations.AddField(
            model_name="synth12",
            name="f119",
            field=models.IntegerField(null=True),
        ),
    ]
