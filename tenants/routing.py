"""Where a tenant lives on the web, in one place, for both routing modes.

- `subdomain` (default): `<subdomain>.<BASE_DOMAIN>`, plus any custom domain an operator adds
  (a Domain row). Cookies are host-only, so tenants never share one.
- `path`: `<BASE_DOMAIN>/t/<subdomain>/…`, for a bare `<app>.herokuapp.com`, which offers no
  tenant subdomains. The tenant's prefix becomes Django's script prefix for the request, so
  every `reverse()` / `{% url %}` / redirect carries it, and cookies are scoped to the prefix.

Links built without a request (emails from the worker) use SITE_URL for scheme and port.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from django.http import HttpRequest

from tenants import conf
from tenants.models import Tenant
from tenants.selectors import tenant_primary_hostname

PATH_PREFIX_RE = re.compile(r"^/t/(?P<subdomain>[a-z][a-z0-9-]{1,38}[a-z0-9])(?P<rest>/.*)?$")


def path_prefix(tenant: Tenant) -> str:
    return f"/t/{tenant.subdomain}"


def _origin(scheme: str, host: str, port: str | None) -> str:
    default = {"http": "80", "https": "443"}.get(scheme)
    suffix = f":{port}" if port and port != default else ""
    return f"{scheme}://{host}{suffix}"


def tenant_url(*, tenant: Tenant, path: str = "/", request: HttpRequest | None = None) -> str:
    """Absolute URL of `path` (a tenant-URLconf path such as "/billing/") on `tenant`'s site.

    With a request, keep its scheme and port (localhost:8000, or https behind the router);
    without one, take them from SITE_URL.
    """
    port: str | None
    if request is not None:
        scheme, port = request.scheme or "http", request.get_port()
        public_host = request.get_host().split(":")[0]
    else:
        site = urlsplit(conf.site_url())
        scheme, port = site.scheme, str(site.port) if site.port else None
        public_host = site.hostname or conf.base_domain()
    if conf.routing_mode() == "path":
        return _origin(scheme, public_host, port) + path_prefix(tenant) + path
    return _origin(scheme, tenant_primary_hostname(tenant=tenant), port) + path
