"""A small JSON API for the tenant's own data (session-authenticated, read-only).

Same rules as the pages: the tenant comes from the host, feature flags gate beta endpoints
(404 when off), and nothing here can name another tenant."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from core_app import selectors
from tenants.flags import REGISTRY, feature_enabled, feature_required


def api_login_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return JsonResponse({"error": "authentication required"}, status=401)
        return view(request, *args, **kwargs)

    return wrapped


@require_GET
@api_login_required
def features(request: HttpRequest) -> JsonResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    return JsonResponse(
        {"channel": tenant.channel, "features": {k: feature_enabled(tenant, k) for k in REGISTRY}}
    )


@require_GET
@api_login_required
def projects(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"projects": selectors.project_summaries()})


@require_GET
@api_login_required
@feature_required("insights")
def insights(request: HttpRequest) -> JsonResponse:
    series = selectors.insights_daily(days=14)
    return JsonResponse({"days": [dict(p, date=p["date"].isoformat()) for p in series]})
