"""`GET /healthz` on any host: database and broker status, 503 when either is down.

It sits before tenant routing so load balancers and uptime checks need no tenant host."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse
from kombu import Connection


def database_status(db: BaseDatabaseWrapper = connection) -> str:
    try:
        with db.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as exc:  # any failure to reach the database is "down", with its reason
        db.close()
        return f"down: {exc.__class__.__name__}"


def broker_status() -> str:
    try:
        ssl_options = getattr(settings, "CELERY_BROKER_USE_SSL", None) or False
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2, ssl=ssl_options) as broker:
            broker.ensure_connection(max_retries=1, interval_start=0, interval_step=0)
        return "ok"
    except Exception as exc:  # kombu raises OperationalError and friends; all mean "down"
        return f"down: {exc.__class__.__name__}"


class HealthCheckMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.rstrip("/") != "/healthz":
            return self.get_response(request)
        checks = {"database": database_status(), "broker": broker_status()}
        healthy = all(value == "ok" for value in checks.values())
        return JsonResponse(
            {"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503
        )
