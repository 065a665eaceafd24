"""The audit trail of tenants' lives: every lifecycle service writes one row here, in the same
transaction as the change it records (so there is never a change without its row, nor a row
for a change that rolled back). Rows can't be changed or removed: see AuditEntry."""

from __future__ import annotations

import getpass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser

from tenants.models import AuditEntry, Tenant


def actor_operator(user: AbstractBaseUser) -> str:
    return f"operator:{user.get_username()}"


def actor_owner(user: AbstractBaseUser) -> str:
    return f"owner:{user.get_username()}"


def actor_cli() -> str:
    """A management command: the operating-system user who ran it (on Heroku, the one-off
    dyno's user; `heroku run` itself records who started it)."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in a minimal container
        return "cli:unknown"


SYSTEM = "system:worker"


def audit_record(
    *, tenant: Tenant, action: str, actor: str, reason: str = "", **detail: Any
) -> AuditEntry:
    return AuditEntry.objects.create(
        tenant_id=tenant.pk,
        tenant_subdomain=tenant.subdomain,
        action=action,
        actor=actor[:200],
        reason=reason.strip()[:300],
        detail=detail,
    )
