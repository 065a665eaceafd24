"""Host → tenant → schema. The only place a request's tenant is decided.

The tenant comes from the verified Host header alone (ALLOWED_HOSTS checked), never from
anything else the client sends. An unknown host is a 404 page that shows no tenant's data.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import set_urlconf
from django_tenants.utils import get_public_schema_name, remove_www

from config.logs import current_schema
from tenants.db import use_public_schema, use_tenant
from tenants.selectors import tenant_for_hostname


def unknown_host_response(request: HttpRequest) -> HttpResponse:
    body = render_to_string("404_host.html", {"base_domain": settings.BASE_DOMAIN})
    return HttpResponse(body, status=404)


class TenantRoutingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        use_public_schema()
        try:
            hostname = remove_www(request.get_host().split(":")[0]).lower()
        except DisallowedHost:
            return unknown_host_response(request)
        tenant = tenant_for_hostname(hostname=hostname)
        if tenant is None:
            return unknown_host_response(request)
        tenant.domain_url = hostname
        request.tenant = tenant  # type: ignore[attr-defined]
        use_tenant(tenant)
        current_schema.set(tenant.schema_name)
        if tenant.schema_name == get_public_schema_name():
            request.urlconf = settings.PUBLIC_SCHEMA_URLCONF  # type: ignore[attr-defined]
        else:
            request.urlconf = settings.ROOT_URLCONF  # type: ignore[attr-defined]
        set_urlconf(request.urlconf)  # type: ignore[attr-defined]
        return self.get_response(request)
