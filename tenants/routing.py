"""Where things live on the web, in one place: the public origin, and each tenant's URLs.

Every absolute URL the kit builds (the signup handoff, links between the public site and a
tenant, emails from the worker, Stripe's success/cancel/return URLs, password-reset links)
comes from here, so it is right behind a router as well as on a laptop:

- The scheme is the one the client used: `request.scheme`, which honours
  SECURE_PROXY_SSL_HEADER (production trusts Heroku's `X-Forwarded-Proto`).
- The port is the one the client connected to: the port in the `Host` header if the client
  sent one (a browser always does for a non-default port), else `X-Forwarded-Port` when a
  trusted proxy is in front (TRUSTED_PROXY_COUNT > 0), else the scheme's default. Never the
  port gunicorn's socket is bound to (`$PORT` on a dyno), which no client can reach.
- Without a request (the worker), SITE_URL gives scheme, host and port; `make run` sets it to
  the port it serves on.

Two routing modes:
- `subdomain` (default): `<subdomain>.<BASE_DOMAIN>`, plus any custom domain an operator adds
  (a Domain row). Cookies are host-only, so tenants never share one.
- `path`: `<BASE_DOMAIN>/t/<subdomain>/…`, for a bare `<app>.herokuapp.com`, which offers no
  tenant subdomains. The tenant's prefix becomes Django's script prefix for the request, so
  every `reverse()` / `{% url %}` / redirect carries it, and cookies are scoped to the prefix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.http import HttpRequest

from tenants import conf
from tenants.models import Tenant
from tenants.selectors import tenant_primary_hostname

PATH_PREFIX_RE = re.compile(r"^/t/(?P<subdomain>[a-z][a-z0-9-]{1,38}[a-z0-9])(?P<rest>/.*)?$")
DEFAULT_PORTS = {"http": "80", "https": "443"}


def path_prefix(tenant: Tenant) -> str:
    return f"/t/{tenant.subdomain}"


@dataclass(frozen=True)
class Origin:
    """Scheme and port as the client sees them; the host is chosen per URL."""

    scheme: str
    port: str | None

    def url(self, host: str) -> str:
        suffix = (
            f":{self.port}" if self.port and self.port != DEFAULT_PORTS.get(self.scheme) else ""
        )
        return f"{self.scheme}://{host}{suffix}"


def _split_host(host: str) -> tuple[str, str | None]:
    """'acme.localhost:8000' → ('acme.localhost', '8000'); '[::1]:80' → ('[::1]', '80')."""
    match = re.match(r"^(?P<name>\[[^\]]+\]|[^:]+)(?::(?P<port>\d+))?$", host)
    if not match:
        return host, None
    return match["name"], match["port"]


def request_origin(request: HttpRequest) -> Origin:
    scheme = request.scheme or "http"
    _, port = _split_host(request.get_host())
    if port is None and conf.trusted_proxy_count() > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_PORT", "").split(",")[-1].strip()
        port = forwarded if forwarded.isdigit() else None
    return Origin(scheme=scheme, port=port)


def site_origin() -> Origin:
    site = urlsplit(conf.site_url())
    return Origin(scheme=site.scheme or "https", port=str(site.port) if site.port else None)


def _public_host(request: HttpRequest | None) -> str:
    if request is None:
        return urlsplit(conf.site_url()).hostname or conf.base_domain()
    return conf.base_domain()


def origin_for(request: HttpRequest | None) -> Origin:
    return request_origin(request) if request is not None else site_origin()


def absolute_url(request: HttpRequest, path: str) -> str:
    """`path` (already reversed, script prefix included) on the host this request came to."""
    host, _ = _split_host(request.get_host())
    return request_origin(request).url(host) + path


def public_url(*, path: str = "/", request: HttpRequest | None = None) -> str:
    """A public-site (BASE_DOMAIN) URL: landing, signup, find my workspace, webhooks."""
    return origin_for(request).url(_public_host(request)) + path


def tenant_url(*, tenant: Tenant, path: str = "/", request: HttpRequest | None = None) -> str:
    """Absolute URL of `path` (a tenant-URLconf path such as "/billing/") on `tenant`'s site."""
    origin = origin_for(request)
    if conf.routing_mode() == "path":
        return origin.url(_public_host(request)) + path_prefix(tenant) + path
    return origin.url(tenant_primary_hostname(tenant=tenant)) + path
