"""django-tenants' defaults, the peer of the routing, scale and provisioning benchmarks: its
TenantMainMiddleware in front of the middleware `startproject` writes, its own PostgreSQL
backend, and its default TENANT_LIMIT_SET_CALLS (False: `SET search_path` on every cursor).
Same apps, database and tenants as Awan (bench.settings)."""

from bench.settings import *  # noqa: F403
from bench.settings_plain import DJANGO_DEFAULT_MIDDLEWARE

DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"  # noqa: F405
for _awan_only in ("AWAN_POOLED", "AWAN_RECYCLE_AFTER_SCHEMAS"):
    DATABASES["default"].pop(_awan_only, None)  # noqa: F405
TENANT_LIMIT_SET_CALLS = False
MIDDLEWARE = ["django_tenants.middleware.main.TenantMainMiddleware", *DJANGO_DEFAULT_MIDDLEWARE]
