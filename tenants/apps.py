from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Tenants"

    def ready(self) -> None:
        # Make our Celery app the current one in every process (web too), so `.delay()` uses
        # the configured broker rather than Celery's default.
        import config.celery_app
        import config.checks  # noqa: F401  (registers the connection-budget check)
