"""Request → tenant → schema. The only place a request's tenant is decided.

The tenant comes from the verified Host header (ALLOWED_HOSTS checked) and, in path routing
mode, from the `/t/<subdomain>/` prefix of the path — never from anything else the client
sends. An unknown host or tenant is a 404 page that shows no tenant's data.
"""

from __future__ import annotations

from collections.abc import Callable
from http import cookies as http_cookies

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.template.loader import render_to_string
from django.urls import get_script_prefix, set_script_prefix, set_urlconf
from django_tenants.utils import get_public_schema_name, remove_www

from config.logs import current_schema
from tenants import conf, errors
from tenants.db import use_public_schema, use_tenant
from tenants.lookup import tenant_for_hostname, tenant_for_subdomain
from tenants.models import Tenant
from tenants.routing import PATH_PREFIX_RE, path_prefix


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    body = render_to_string("404_host.html", {"base_domain": settings.BASE_DOMAIN})
    return HttpResponse(body, status=404)


def first_cookie_wins(header: str) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for name, value in _cookie_pairs(header):
        cookies.setdefault(name, value)
    return cookies


def _cookie_pairs(header: str) -> list[tuple[str, str]]:
    pairs = []
    for chunk in header.split(";"):
        name, sep, value = chunk.partition("=")
        if sep and name.strip():
            pairs.append((name.strip(), http_cookies._unquote(value.strip())))
    return pairs


class TenantRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            hostname = remove_www(request.get_host().split(":")[0]).lower()
        except DisallowedHost:
            use_public_schema()
            return unknown_host_response(request)
        tenant = tenant_for_hostname(hostname=hostname)
        if tenant is None:
            use_public_schema()  # fail closed: nothing of the previous request's tenant
            return unknown_host_response(request)
        if tenant.schema_name == get_public_schema_name() and conf.routing_mode() == "path":
            match = PATH_PREFIX_RE.match(request.path_info)
            if match:
                return self._serve_path_tenant(request, match["subdomain"], match["rest"])
        tenant.domain_url = hostname
        return self._serve(request, tenant)

    def _serve(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        request.tenant = tenant  # type: ignore[attr-defined]
        use_tenant(tenant)
        current_schema.set(tenant.schema_name)
        public = tenant.schema_name == get_public_schema_name()
        request.urlconf = settings.PUBLIC_SCHEMA_URLCONF if public else settings.ROOT_URLCONF  # type: ignore[attr-defined]
        set_urlconf(request.urlconf)  # type: ignore[attr-defined]
        return self.get_response(request)

    def _serve_path_tenant(
        self, request: HttpRequest, subdomain: str, rest: str | None
    ) -> HttpResponse:
        tenant = tenant_for_subdomain(subdomain=subdomain)
        if tenant is None:
            return unknown_host_response(request)
        prefix = path_prefix(tenant)
        if not rest:
            return HttpResponsePermanentRedirect(f"{prefix}/")
        # A browser also sends the public site's cookies (path "/", e.g. an operator's admin
        # session) under /t/<subdomain>/. It lists the longer path first; Django would keep the
        # last value of a repeated name, so re-read the cookies keeping the first, the tenant's.
        request.COOKIES = first_cookie_wins(request.META.get("HTTP_COOKIE", ""))
        # The tenant's URLconf sees "/projects/…"; reverse() and redirects add the prefix back.
        outer_prefix = get_script_prefix()
        request.path_info = rest
        request.META["SCRIPT_NAME"] = request.META.get("SCRIPT_NAME", "") + prefix
        set_script_prefix(f"{outer_prefix.rstrip('/')}{prefix}/")
        try:
            response = self._serve(request, tenant)
        finally:
            set_script_prefix(outer_prefix)
        # One host serves every tenant: scope the session and CSRF cookies to this tenant's path.
        for name in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
            if name in response.cookies:
                response.cookies[name]["path"] = f"{prefix}/"
        return response


# Statuses whose hosts serve requests (pending deletion: read-only, see process_view).
_OPEN = (Tenant.Status.ACTIVE, Tenant.Status.PENDING_DELETION)


class TenantStatusMiddleware:
    """A suspended tenant's host answers every request (pages, login, admin, API) with a page
    that says so, after static files and before sessions: nothing of the tenant's is read or
    written until an operator reactivates it. Its data stays as it was."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.is_public or tenant.status in _OPEN:
            return self.get_response(request)
        if tenant.status == Tenant.Status.PROVISIONING:
            return self._provisioning(request, tenant)
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {"error": "workspace_suspended", "detail": errors.WORKSPACE_SUSPENDED},
                status=403,
            )
        body = render_to_string(
            "tenants/suspended.html",
            {"tenant": tenant, "message": errors.WORKSPACE_SUSPENDED, "suspended": True},
        )
        return HttpResponse(body, status=403)

    def process_view(
        self, request: HttpRequest, view: Callable, args: object, kwargs: object
    ) -> HttpResponse | None:
        """Pending deletion: read-only. Reads, signing in and out, exporting one's data and
        cancelling the deletion still work; every other write is refused, saying when the
        workspace will be deleted."""
        tenant = getattr(request, "tenant", None)
        if tenant is None or tenant.status != Tenant.Status.PENDING_DELETION:
            return None
        if request.method in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        if getattr(view, "allowed_when_deletion_pending", False):
            return None
        due = f"{tenant.deletion_due_at:%d %B %Y}" if tenant.deletion_due_at else "soon"
        message = errors.WORKSPACE_PENDING_DELETION.format(due=due)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": "pending_deletion", "detail": message}, status=403)
        body = render_to_string(
            "tenants/pending_deletion.html", {"tenant": tenant, "message": message}, request
        )
        return HttpResponse(body, status=403)

    def _provisioning(self, request: HttpRequest, tenant: Tenant) -> HttpResponse:
        """Signed up while the pool was empty: the worker is building the workspace. The page
        reloads itself every second and, once the tenant is active, the same URL (the signup's
        sign-in link) logs the owner in."""
        from tenants.services import PROVISIONING_STAGES, provisioning_progress

        stage = provisioning_progress(schema_name=tenant.schema_name)
        if request.path_info.startswith("/api/"):
            response: HttpResponse = JsonResponse(
                {"error": "workspace_provisioning", "detail": errors.WORKSPACE_PROVISIONING},
                status=503,
            )
        else:
            stages = list(PROVISIONING_STAGES.items())
            reached = [key for key, _ in stages].index(stage) if stage in PROVISIONING_STAGES else 0
            context = {
                "tenant": tenant,
                "message": errors.WORKSPACE_PROVISIONING,
                "stages": [
                    (label, i < reached, i == reached) for i, (_, label) in enumerate(stages)
                ],
                "suspended": True,  # no navigation: there is nothing to navigate to yet
            }
            response = HttpResponse(
                render_to_string("tenants/provisioning.html", context), status=503
            )
        response["Retry-After"] = "1"
        response["Cache-Control"] = "no-store"
        return response
