from django.apps import AppConfig


class CoreAppConfig(AppConfig):
    name = "core_app"
    verbose_name = "Projects"

    def ready(self) -> None:
        from core_app import features  # noqa: F401  (declares this app's feature flags)
