"""The tenants app's settings, read in one place with their defaults."""

from django.conf import settings

RESERVED_SUBDOMAINS = frozenset(
    {
        "www",
        "admin",
        "api",
        "public",
        "static",
        "media",
        "app",
        "mail",
        "billing",
        "smtp",
        "imap",
        "pop",
        "ftp",
        "ns1",
        "ns2",
        "dns",
        "status",
        "help",
        "support",
        "docs",
        "blog",
        "dashboard",
        "login",
        "signup",
        "auth",
        "account",
        "accounts",
        "webhooks",
        "stripe",
        "cdn",
        "assets",
        "dev",
        "staging",
        "test",
        "demo-admin",
        "root",
        "system",
        "postgres",
        "pg",
        "information-schema",
        "health",
        "healthz",
    }
)


def base_domain() -> str:
    return settings.BASE_DOMAIN


def reserved_subdomains() -> frozenset[str]:
    extra = getattr(settings, "RESERVED_SUBDOMAINS_EXTRA", ())
    return RESERVED_SUBDOMAINS | frozenset(extra)


def signup_rate_limit() -> tuple[int, int]:
    """(requests, window seconds) from a string like "10/h"."""
    count, _, unit = settings.SIGNUP_RATE_LIMIT.partition("/")
    seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit or "h"]
    return int(count), seconds


def routing_mode() -> str:
    """ "subdomain" (default) or "path" (tenants under /t/<subdomain>/ on BASE_DOMAIN)."""
    mode = getattr(settings, "TENANT_ROUTING", "subdomain")
    if mode not in ("subdomain", "path"):
        raise ValueError(f"TENANT_ROUTING must be 'subdomain' or 'path', not {mode!r}")
    return mode


def site_url() -> str:
    """Scheme, host and port for links built without a request (emails from the worker)."""
    return getattr(settings, "SITE_URL", "") or f"http://{base_domain()}:8000"


def handoff_max_age() -> int:
    return settings.HANDOFF_MAX_AGE_SECONDS


def schema_prefix() -> str:
    return getattr(settings, "TENANT_SCHEMA_PREFIX", "t_")
