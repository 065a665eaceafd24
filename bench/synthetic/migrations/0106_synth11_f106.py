from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("bench_synthetic", "0105_synth11_f105")]
    operations = [
        migrations.AddField(
            model_name="synth11",
            name="f106",
            field=models.CharField(max_length=40, default=""),
        ),
    ]
