"""A tenant's status over its life, changed only here: suspend and reactivate.

A suspended tenant keeps all its data; its users see a page that says so (web), its API
answers 403, and its tenant tasks are skipped until an operator reactivates it.
"""

from __future__ import annotations

import logging

from django.db import transaction

from tenants.models import PublicTenantProtected, Tenant

logger = logging.getLogger(__name__)


def tenant_suspend(*, tenant: Tenant, reason: str, actor: str) -> Tenant:
    if tenant.is_public:
        raise PublicTenantProtected()
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(
            status=Tenant.Status.SUSPENDED, status_reason=reason.strip()[:300]
        )
    tenant.status, tenant.status_reason = Tenant.Status.SUSPENDED, reason.strip()[:300]
    logger.info("tenant suspended schema=%s by %s", tenant.schema_name, actor)
    return tenant


def tenant_reactivate(*, tenant: Tenant, actor: str) -> Tenant:
    if tenant.is_public:
        raise PublicTenantProtected()
    with transaction.atomic():
        Tenant.objects.filter(pk=tenant.pk).update(status=Tenant.Status.ACTIVE, status_reason="")
    tenant.status, tenant.status_reason = Tenant.Status.ACTIVE, ""
    logger.info("tenant reactivated schema=%s by %s", tenant.schema_name, actor)
    return tenant


def tenant_delete_now(*, tenant: Tenant, actor: str) -> None:
    """Drop a tenant's schema and its rows, together (the operators' admin "delete")."""
    from tenants.provisioning import schema_drop

    if tenant.is_public:
        raise PublicTenantProtected()
    with transaction.atomic():
        schema_drop(schema_name=tenant.schema_name)
        Tenant.objects.filter(pk=tenant.pk).delete()
    logger.info("tenant deleted schema=%s by %s", tenant.schema_name, actor)
