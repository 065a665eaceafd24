from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    name = "bench.synthetic"
    label = "bench_synthetic"
    default_auto_field = "django.db.models.BigAutoField"
