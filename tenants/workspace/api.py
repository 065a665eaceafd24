"""The REST API's plumbing, shared by every endpoint (the product's are in core_app/api/):
authentication by API key or session, scopes, a rate limit per key, usage counting, and one
shape for every error (api_errors.py).

Kept apart from anything that imports `rest_framework.views`: DRF imports this module while
reading its own settings."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.throttling import BaseThrottle

from tenants import conf
from tenants.ratelimit import Rate, client_ip, ratelimit_count, retry_after_seconds
from tenants.workspace.apikeys import apikey_authenticate
from tenants.workspace.models import ApiKey


class ApiKeyAuthentication(BaseAuthentication):
    """`Authorization: Bearer awan_<prefix>_<secret>`. Looked up in the schema of the host the
    request came to, and nowhere else."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiKey] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith(f"{self.keyword} "):
            return None
        found = apikey_authenticate(header[len(self.keyword) + 1 :].strip())
        if found is None:
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked API key.")
        key, user = found
        return user, key

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="api"'


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.workspace.api.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema: Any) -> dict:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "An API key made on the workspace's API keys page: awan_<prefix>_…",
        }


class ScopeAllows(BasePermission):
    """A `read` key may only read; sessions and `write` keys may also write."""

    message = "This API key can only read: make a key with the write scope to change things."

    def has_permission(self, request: Request, view: Any) -> bool:
        key = request.auth
        if isinstance(key, ApiKey) and key.scope == ApiKey.Scope.READ:
            return request.method in SAFE_METHODS
        return True


class PerKeyRateThrottle(BaseThrottle):
    """API_RATE_LIMIT per key (or per signed-in user), shared by every web dyno (Redis)."""

    def allow_request(self, request: Request, view: Any) -> bool:
        key = request.auth
        if isinstance(key, ApiKey):
            who = f"key:{key.prefix}"
        elif request.user is not None and request.user.is_authenticated:
            who = f"user:{request.user.pk}"
        else:  # the open schema and docs pages
            who = f"ip:{client_ip(request._request)}"
        self.rate = Rate.parse(conf.api_rate_limit())
        return ratelimit_count(scope="api", key=who, rate=self.rate)

    def wait(self) -> float:
        return float(retry_after_seconds(self.rate))


def usage_count() -> None:
    """One more API call today (a single upsert in the tenant's schema)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workspace_apiusageday (day, calls) VALUES (%s, 1) "
            "ON CONFLICT (day) DO UPDATE SET calls = workspace_apiusageday.calls + 1",
            [timezone.localdate()],
        )


class CountsUsage:
    """For every API view: one more call on the usage page, once authentication succeeded."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        usage_count()
