from django.apps import AppConfig


class CoreAppPlainConfig(AppConfig):
    """core_app's models and migrations, without its ready() (feature flags need tenancy)."""

    name = "core_app"
    label = "core_app"
    default_auto_field = "django.db.models.BigAutoField"
