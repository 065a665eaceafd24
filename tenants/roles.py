"""Who may do what in a workspace: one permission table, asked everywhere (views, the API, the
tenant's admin, services).

A user's role is a row in their workspace's own schema (tenants.workspace.Membership):

- **member**: uses the product (projects, tasks, their exports, the usage page);
- **admin**: also manages the team, API keys and webhooks, and exports all the data;
- **owner**: also manages billing, the beta channel and the workspace itself.

There is always at least one owner (tenants.workspace.team keeps it so).
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
    ADMIN = "admin"
    MEMBER = "member"


class Perm(StrEnum):
    USE_PRODUCT = "use_product"
    VIEW_USAGE = "view_usage"
    MANAGE_TEAM = "manage_team"
    MANAGE_API_KEYS = "manage_api_keys"
    MANAGE_WEBHOOKS = "manage_webhooks"
    EXPORT_DATA = "export_data"
    MANAGE_BILLING = "manage_billing"
    MANAGE_CHANNEL = "manage_channel"
    MANAGE_WORKSPACE = "manage_workspace"
    MANAGE_OWNERS = "manage_owners"


_EVERYONE = frozenset(Role)
_ADMINS = frozenset({Role.OWNER, Role.ADMIN})
_OWNERS = frozenset({Role.OWNER})

PERMISSIONS: dict[Perm, frozenset[Role]] = {
    Perm.USE_PRODUCT: _EVERYONE,
    Perm.VIEW_USAGE: _EVERYONE,
    Perm.MANAGE_TEAM: _ADMINS,
    Perm.MANAGE_API_KEYS: _ADMINS,
    Perm.MANAGE_WEBHOOKS: _ADMINS,
    Perm.EXPORT_DATA: _ADMINS,
    Perm.MANAGE_BILLING: _OWNERS,
    Perm.MANAGE_CHANNEL: _OWNERS,
    Perm.MANAGE_WORKSPACE: _OWNERS,
    Perm.MANAGE_OWNERS: _OWNERS,
}

DESCRIPTIONS: dict[Perm, str] = {
    Perm.USE_PRODUCT: "Use the product: projects, tasks, their CSV exports",
    Perm.VIEW_USAGE: "See the usage page",
    Perm.MANAGE_TEAM: "Invite people, change members' and admins' roles, remove them",
    Perm.MANAGE_API_KEYS: "Create and revoke API keys",
    Perm.MANAGE_WEBHOOKS: "Register webhook endpoints, see deliveries, redeliver",
    Perm.EXPORT_DATA: "Export all the workspace's data",
    Perm.MANAGE_BILLING: "Choose a plan, open the billing portal",
    Perm.MANAGE_CHANNEL: "Join or leave the beta channel",
    Perm.MANAGE_WORKSPACE: "Rename or delete the workspace",
    Perm.MANAGE_OWNERS: "Make someone an owner, transfer ownership",
}

REFUSALS: dict[Perm, str] = {
    Perm.USE_PRODUCT: errors.LOGIN_REQUIRED,
    Perm.VIEW_USAGE: errors.LOGIN_REQUIRED,
    Perm.MANAGE_TEAM: errors.TEAM_ADMINS_ONLY,
    Perm.MANAGE_API_KEYS: errors.ADMINS_ONLY,
    Perm.MANAGE_WEBHOOKS: errors.ADMINS_ONLY,
    Perm.EXPORT_DATA: errors.ADMINS_ONLY,
    Perm.MANAGE_BILLING: errors.BILLING_OWNER_ONLY,
    Perm.MANAGE_CHANNEL: errors.CHANNEL_OWNER_ONLY,
    Perm.MANAGE_WORKSPACE: errors.WORKSPACE_OWNER_ONLY,
    Perm.MANAGE_OWNERS: errors.OWNERS_ONLY,
}


def role_of(user: AbstractBaseUser | AnonymousUser | None) -> Role | None:
    """The user's role in the workspace the connection is on (read once per request)."""
    if user is None or not user.is_authenticated or not getattr(user, "is_active", False):
        return None
    cached = getattr(user, "_awan_role", None)
    if cached is not None:
        return cached
    from tenants.workspace.models import Membership

    stored = Membership.objects.filter(user_id=user.pk).values_list("role", flat=True).first()
    if stored is not None:
        role = Role(stored)
    else:  # a user made outside the services (a shell, a test): superusers own the workspace
        role = Role.OWNER if getattr(user, "is_superuser", False) else Role.MEMBER
    user._awan_role = role  # type: ignore[union-attr,attr-defined]
    return role


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


def permission_table() -> list[tuple[str, list[bool]]]:
    """For the docs and the Team page: each permission, and which roles (owner, admin,
    member) have it."""
    roles = [Role.OWNER, Role.ADMIN, Role.MEMBER]
    return [(DESCRIPTIONS[p], [r in PERMISSIONS[p] for r in roles]) for p in Perm]
