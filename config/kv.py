"""A raw Redis client for platform-wide keys.

Django's cache prefixes every key with the connection's current tenant schema
(django_tenants.cache.make_key), which is what keeps tenants' cached data apart. A few keys are
about the platform itself and must read the same from any request or task, whatever schema it
is on: the routing table's version, a provisioning tenant's progress, the pool refill lock.
They live here, under "awan:", on one connection pool per process (never a new connection per
call).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import redis
from django.conf import settings


@cache
def client() -> redis.Redis:
    options: dict[str, Any] = {"socket_connect_timeout": 2, "socket_timeout": 2}
    location = str(settings.CACHES["default"]["LOCATION"])
    if location.startswith("rediss://") and not getattr(settings, "REDIS_TLS_VERIFY", False):
        options["ssl_cert_reqs"] = None
    return redis.Redis.from_url(location, **options)


def reset() -> None:
    """Forget the client (tests that change the cache location)."""
    client.cache_clear()
