"""Who may do what in a workspace: one permission table, asked everywhere (views, admin, API).

A user's role lives in their tenant's schema. Today a workspace has owners (its superusers)
and members; the table is the one place that says what each may do, so adding a role means
adding a column here, not hunting through views.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tenants import errors


class Role(StrEnum):
    OWNER = "owner"
    MEMBER = "member"


class Perm(StrEnum):
    USE_PRODUCT = "use_product"
    MANAGE_TEAM = "manage_team"
    MANAGE_BILLING = "manage_billing"
    MANAGE_CHANNEL = "manage_channel"
    MANAGE_WORKSPACE = "manage_workspace"


PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.USE_PRODUCT: frozenset({Role.OWNER, Role.MEMBER}),
    Perm.MANAGE_TEAM: frozenset({Role.OWNER}),
    Perm.MANAGE_BILLING: frozenset({Role.OWNER}),
    Perm.MANAGE_CHANNEL: frozenset({Role.OWNER}),
    Perm.MANAGE_WORKSPACE: frozenset({Role.OWNER}),
}

REFUSALS: dict[Perm, str] = {
    Perm.USE_PRODUCT: errors.LOGIN_REQUIRED,
    Perm.MANAGE_TEAM: errors.MEMBERS_OWNER_ONLY,
    Perm.MANAGE_BILLING: errors.BILLING_OWNER_ONLY,
    Perm.MANAGE_CHANNEL: errors.CHANNEL_OWNER_ONLY,
    Perm.MANAGE_WORKSPACE: errors.WORKSPACE_OWNER_ONLY,
}


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return None
    return Role.OWNER if getattr(user, "is_superuser", False) else Role.MEMBER


def user_can(user: AbstractBaseUser | AnonymousUser | None, perm: Perm) -> bool:
    role = role_of(user)
    return role is not None and role in PERMISSIONS[perm]


def permission_required(perm: Perm) -> Callable[[Callable[..., HttpResponse]], Callable[..., Any]]:
    """View decorator (after login_required): 403 with the refusal, in words, on the page."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not user_can(request.user, perm):
                return render(
                    request, "tenants/refused.html", {"message": REFUSALS[perm]}, status=403
                )
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
