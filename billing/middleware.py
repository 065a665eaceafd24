"""Read-only tenants: reads work, writes are refused with a message pointing to billing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django_tenants.utils import get_public_schema_name

from billing import errors
from billing.selectors import billing_state_for

SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}


class BillingStateMiddleware:
    """Loads the tenant's billing state once per request (request.billing) and refuses writes
    while it is read-only, unless the view is marked @allowed_when_read_only."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tenant = getattr(request, "tenant", None)
        if tenant is not None and tenant.schema_name != get_public_schema_name():
            request.billing = billing_state_for(tenant=tenant, use_snapshot=True)  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: Any, kwargs: Any
    ) -> HttpResponse | None:
        state = getattr(request, "billing", None)
        if state is None or not state.read_only or request.method in SAFE_METHODS:
            return None
        if getattr(view, "allowed_when_read_only", False):
            return None
        reason = (
            errors.READ_ONLY_TRIAL_ENDED
            if state.subscription.status in ("trialing", "expired")
            else errors.READ_ONLY_CANCELED
        )
        message = errors.READ_ONLY.format(reason=reason)
        if request.path_info.startswith("/api/"):
            return JsonResponse({"error": "read_only", "detail": message}, status=403)
        return render(
            request,
            "billing/read_only.html",
            {"message": message, "billing_url": reverse("billing:page")},
            status=403,
        )
