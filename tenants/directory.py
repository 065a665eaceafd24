"""Which workspaces an email can sign in to, answered from the public schema alone.

Users live in their tenant's schema, so "find my workspace" would otherwise have to look in
every schema. Instead the services that add and remove users keep a small public index of
(keyed hash of the email, tenant). The hash keeps the addresses themselves out of the public
schema; `manage.py account_index_rebuild` re-derives the index (after a SECRET_KEY rotation).
"""

from __future__ import annotations

from django.utils.crypto import salted_hmac

from tenants.models import AccountIndex, Tenant

_SALT = "awan.tenants.account-index"


def email_digest(email: str) -> str:
    return salted_hmac(_SALT, email.strip().lower(), algorithm="sha256").hexdigest()


def account_index_add(*, tenant: Tenant, email: str) -> None:
    AccountIndex.objects.get_or_create(tenant=tenant, email_digest=email_digest(email))


def account_index_remove(*, tenant: Tenant, email: str) -> None:
    AccountIndex.objects.filter(tenant=tenant, email_digest=email_digest(email)).delete()


def tenants_for_email(*, email: str) -> list[Tenant]:
    """Workspaces where `email` can sign in (active, or read-only until their deletion), by
    name."""
    return list(
        Tenant.objects.filter(
            account_index__email_digest=email_digest(email),
            status__in=[Tenant.Status.ACTIVE, Tenant.Status.PENDING_DELETION],
        )
        .exclude(schema_name="public")
        .order_by("name")
    )
