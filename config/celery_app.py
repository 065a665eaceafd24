"""The Celery app. Tasks that touch tenant data use tenants.celery.TenantTask, which runs
them inside the schema named by their `schema_name` argument."""

import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("awan")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**_: object) -> None:
    """Keep Django's LOGGING (one line per event, with schema and request id)."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
def _bind_task_context(task_id: str, task: object, kwargs: dict | None = None, **_: object) -> None:
    from config.logs import current_request_id, current_schema

    current_request_id.set(task_id)
    current_schema.set((kwargs or {}).get("schema_name", "public"))


@task_postrun.connect
def _clear_task_context(**_: object) -> None:
    from config.logs import current_request_id, current_schema

    current_request_id.set("-")
    current_schema.set("-")
