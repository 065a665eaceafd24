"""`GET /healthz` on any host: database and broker status, 503 when either is down.

It sits before tenant routing so load balancers and uptime checks need no tenant host."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import parse_qsl, urlsplit

import redis
from django.conf import settings
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.http import HttpRequest, HttpResponse, JsonResponse


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
        _broker_client(settings.CELERY_BROKER_URL).ping()
        return "ok"
    except Exception as exc:  # redis raises ConnectionError and friends; all mean "down"
        return f"down: {exc.__class__.__name__}"


@cache
def _broker_client(broker_url: str) -> redis.Redis:
    """One connection pool per process for the health check (a load balancer may ask every
    few seconds; a new TCP connection each time would be most of the cost)."""
    parts = urlsplit(broker_url)
    if parts.scheme == "redis+socket":
        query = dict(parse_qsl(parts.query))
        url = f"unix://{parts.path}?db={query.get('virtual_host', '0')}"
    else:
        url = broker_url
    options: dict = {"socket_connect_timeout": 2, "socket_timeout": 2}
    if parts.scheme == "rediss" and not getattr(settings, "REDIS_TLS_VERIFY", False):
        options["ssl_cert_reqs"] = None
    return redis.Redis.from_url(url, **options)


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
