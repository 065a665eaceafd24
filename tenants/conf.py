"""The tenants app's settings, read in one place with their defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from tenants.ratelimit import Rate

# Brute-force limits, per client address and per account (the email typed, whether or not an
# account has it, so the answer never tells which emails exist).
DEFAULT_AUTH_RATE_LIMITS = {
    "login_failures_per_account": "10/15m",
    "login_failures_per_ip": "30/15m",
    "password_reset_per_account": "3/h",
    "password_reset_per_ip": "10/h",
    "workspace_lookup_per_account": "3/h",
    "workspace_lookup_per_ip": "10/h",
}

# The one list of names no tenant may take: infrastructure hosts (mail, DNS, autodiscovery),
# our own pages and roles, and names that read as official. RESERVED_SUBDOMAINS_EXTRA adds more.
RESERVED_SUBDOMAINS = frozenset(
    [
        "account",
        "accounts",
        "admin",
        "administrator",
        "api",
        "app",
        "assets",
        "auth",
        "autoconfig",
        "autodiscover",
        "billing",
        "blog",
        "cdn",
        "dashboard",
        "demo-admin",
        "dev",
        "dns",
        "docs",
        "email",
        "ftp",
        "health",
        "healthz",
        "help",
        "imap",
        "information-schema",
        "localhost",
        "login",
        "logout",
        "mail",
        "media",
        "mta-sts",
        "ns1",
        "ns2",
        "oauth",
        "operator",
        "operators",
        "pg",
        "pop",
        "pop3",
        "postgres",
        "public",
        "root",
        "signup",
        "smtp",
        "sso",
        "staging",
        "static",
        "status",
        "stripe",
        "support",
        "system",
        "test",
        "webhooks",
        "webmail",
        "wpad",
        "www",
    ]
)


def base_domain() -> str:
    return settings.BASE_DOMAIN


def reserved_subdomains() -> frozenset[str]:
    extra = getattr(settings, "RESERVED_SUBDOMAINS_EXTRA", ())
    return RESERVED_SUBDOMAINS | frozenset(extra)


def signup_rate_limit() -> tuple[int, int]:
    """(requests, window seconds) from a string like "10/h"."""
    from tenants.ratelimit import Rate

    rate = Rate.parse(settings.SIGNUP_RATE_LIMIT)
    return rate.limit, rate.window


def rate(name: str) -> Rate:
    """One of AUTH_RATE_LIMITS (login failures, password resets, workspace lookups)."""
    from tenants.ratelimit import Rate

    limits = {**DEFAULT_AUTH_RATE_LIMITS, **getattr(settings, "AUTH_RATE_LIMITS", {})}
    return Rate.parse(limits[name])


def routing_mode() -> str:
    """ "subdomain" (default) or "path" (tenants under /t/<subdomain>/ on BASE_DOMAIN)."""
    mode = getattr(settings, "TENANT_ROUTING", "subdomain")
    if mode not in ("subdomain", "path"):
        raise ValueError(f"TENANT_ROUTING must be 'subdomain' or 'path', not {mode!r}")
    return mode


def site_url() -> str:
    """Scheme, host and port for links built without a request (emails from the worker)."""
    return getattr(settings, "SITE_URL", "") or f"http://{base_domain()}"


def trusted_proxy_count() -> int:
    """How many proxies in front of the app append to X-Forwarded-For (Heroku's router: 1).
    0 trusts no forwarded header: a bare `make run` is reached directly."""
    return int(getattr(settings, "TRUSTED_PROXY_COUNT", 0))


def handoff_max_age() -> int:
    return settings.HANDOFF_MAX_AGE_SECONDS


def schema_prefix() -> str:
    return getattr(settings, "TENANT_SCHEMA_PREFIX", "t_")


def pool_size() -> int:
    """How many pre-built spare schemas the worker keeps ready for signups."""
    return int(getattr(settings, "TENANT_POOL_SIZE", 10))


def provisioning_grace_seconds() -> int:
    """How long a signup's sign-in link may wait for a provisioning (pool-less) workspace."""
    return int(getattr(settings, "PROVISIONING_GRACE_SECONDS", 900))


def api_rate_limit() -> str:
    """Requests per API key (or signed-in user), e.g. "600/m"."""
    return str(getattr(settings, "API_RATE_LIMIT", "600/m"))


# --- a tenant's life (tenants.lifecycle) and the operators' console ------------------------
def deletion_grace_days() -> int:
    """Days between a deletion request and the purge, during which it can be cancelled."""
    return int(getattr(settings, "TENANT_DELETION_GRACE_DAYS", 30))


def export_retention_days() -> int:
    """How long an operator's export stays downloadable."""
    return int(getattr(settings, "TENANT_EXPORT_RETENTION_DAYS", 7))


def final_export_retention_days() -> int:
    """How long the final export of a purged tenant is kept (to restore it, if asked)."""
    return int(getattr(settings, "TENANT_FINAL_EXPORT_RETENTION_DAYS", 90))


def activity_write_seconds() -> int:
    """A tenant's "last activity" is written at most once per this many seconds."""
    return int(getattr(settings, "TENANT_ACTIVITY_WRITE_SECONDS", 300))


def console_requires_2fa() -> bool:
    """Operators must pass a TOTP second factor for the console and the operators' admin."""
    return bool(getattr(settings, "CONSOLE_REQUIRE_2FA", True))


def console_action_rate() -> Rate:
    from tenants.ratelimit import Rate

    return Rate.parse(str(getattr(settings, "CONSOLE_ACTION_RATE_LIMIT", "30/m")))
