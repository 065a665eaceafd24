from django.apps import AppConfig


class CoreAppConfig(AppConfig):
    name = "core_app"
    verbose_name = "Projects"

    def ready(self) -> None:
        from core_app import features, usage  # noqa: F401  (its flags, its usage-page lines)
