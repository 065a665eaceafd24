"""Fixed-window counters in the shared cache (Redis), so limits hold across web dynos, and the
client's address as the trusted proxies report it.

Cache keys go through django-tenants' key function, so a counter kept on a tenant's host is
that tenant's alone.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.http import HttpRequest

from tenants import conf

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    """`limit` hits per `window` seconds, written "10/h", "5/15m" or "100/d"."""

    limit: int
    window: int

    @classmethod
    def parse(cls, text: str) -> Rate:
        match = _RATE_RE.match(text)
        if not match:
            raise ValueError(f"not a rate: {text!r} (use e.g. '10/h' or '5/15m')")
        count, multiple, unit = match.groups()
        return cls(limit=int(count), window=int(multiple or 1) * _UNIT_SECONDS[unit])


def client_ip(request: HttpRequest) -> str:
    """The client's address, as the nearest trusted proxy saw it.

    Each proxy appends the address it was reached from to X-Forwarded-For, so with N trusted
    proxies (TRUSTED_PROXY_COUNT) the N-th entry from the right is the client; anything to its
    left was written by the client and is ignored. With no trusted proxy (a bare `make run`),
    the header is ignored entirely, so sending one can't dodge a rate limit.
    """
    hops = conf.trusted_proxy_count()
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    if hops <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    entries = [e for e in entries if e]
    if len(entries) < hops:
        return remote  # it didn't come through every proxy we expect
    return entries[-hops]


def _key(scope: str, key: str, window: int) -> str:
    return f"ratelimit:{scope}:{key}:{int(time.time() // window)}"


def ratelimit_hit(*, scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True while the caller is within `limit` hits for the current window."""
    cache_key = _key(scope, key, window_seconds)
    cache.add(cache_key, 0, timeout=window_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window_seconds + 5)
        count = 1
    return count <= limit


def ratelimit_exceeded(*, scope: str, key: str, rate: Rate) -> bool:
    """True once `rate.limit` hits were counted in the current window (counts nothing)."""
    return int(cache.get(_key(scope, key, rate.window)) or 0) >= rate.limit


def ratelimit_count(*, scope: str, key: str, rate: Rate) -> bool:
    """Count one hit against `rate`; True while still within it."""
    return ratelimit_hit(scope=scope, key=key, limit=rate.limit, window_seconds=rate.window)


def ratelimit_clear(*, scope: str, key: str, rate: Rate) -> None:
    cache.delete(_key(scope, key, rate.window))


def retry_after_seconds(rate: Rate) -> int:
    """Seconds until the current window ends (for a Retry-After header)."""
    return rate.window - int(time.time()) % rate.window
