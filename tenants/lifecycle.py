"""A tenant's life after signup, changed only here. Each change is a service that checks the
tenant's current state under a row lock, refuses the public tenant, and writes its audit row
in the same transaction (tenants.audit).

    provisioning ──► active ◄──────► suspended
                       │  ▲             │
     delete_request    │  │ cancel      │ delete_request
                       ▼  │             ▼
                   pending_deletion ◄───┘   (read-only; final export; due in N days)
                       │ purge (worker, once due and the final export is ready)
                       ▼
                   purged: schema dropped, rows deleted; audit trail + final export kept

A suspended tenant keeps its data; its users see a page with the reason, its API answers 403,
and its tasks are skipped. A tenant pending deletion is read-only: its users see the purge date
(and the owner who asked can cancel); nothing new is written but their own data exports.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from tenants import conf, errors
from tenants.audit import SYSTEM, audit_record
from tenants.models import AuditEntry, PublicTenantProtected, Tenant, TenantExport

logger = logging.getLogger(__name__)
Action = AuditEntry.Action


class LifecycleRefused(Exception):
    """The change doesn't apply to the tenant as it is now (e.g. reactivating an active one)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _locked(tenant: Tenant) -> Tenant:
    if tenant.is_public:
        raise PublicTenantProtected()
    return Tenant.objects.select_for_update().get(pk=tenant.pk)


def _reason_required(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise LifecycleRefused(errors.LIFECYCLE_REASON_REQUIRED)
    return reason[:300]


def _set(tenant: Tenant, **fields: object) -> None:
    Tenant.objects.filter(pk=tenant.pk).update(**fields)
    for name, value in fields.items():
        setattr(tenant, name, value)


def tenant_suspend(*, tenant: Tenant, reason: str, actor: str) -> Tenant:
    """Block the tenant everywhere (pages, API, tasks), showing its users `reason`."""
    reason = _reason_required(reason)
    with transaction.atomic():
        row = _locked(tenant)
        if row.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
            raise LifecycleRefused(errors.LIFECYCLE_CANNOT_SUSPEND.format(status=row.status))
        _set(row, status=Tenant.Status.SUSPENDED, status_reason=reason)
        audit_record(tenant=row, action=Action.SUSPEND, actor=actor, reason=reason)
    logger.info("tenant suspended schema=%s by %s", row.schema_name, actor)
    return row


def tenant_reactivate(*, tenant: Tenant, actor: str, reason: str = "") -> Tenant:
    with transaction.atomic():
        row = _locked(tenant)
        if row.status != Tenant.Status.SUSPENDED:
            raise LifecycleRefused(errors.LIFECYCLE_NOT_SUSPENDED.format(status=row.status))
        _set(row, status=Tenant.Status.ACTIVE, status_reason="")
        audit_record(tenant=row, action=Action.REACTIVATE, actor=actor, reason=reason)
    logger.info("tenant reactivated schema=%s by %s", row.schema_name, actor)
    return row


def tenant_export_request(
    *, tenant: Tenant, actor: str, final: bool = False, reason: str = ""
) -> TenantExport:
    """Queue an export of the tenant's whole schema for the worker (tenants.archive); returns
    the row to watch (status, progress, then the download)."""
    from tenants.tasks import tenant_export_build

    with transaction.atomic():
        row = _locked(tenant)
        if row.status == Tenant.Status.PROVISIONING:
            raise LifecycleRefused(errors.LIFECYCLE_PROVISIONING)
        export = TenantExport.objects.create(
            tenant=row,
            tenant_subdomain=row.subdomain,
            tenant_name=row.name,
            requested_by=actor,
            is_final=final,
        )
        audit_record(
            tenant=row,
            action=Action.EXPORT,
            actor=actor,
            reason=reason,
            export_id=export.pk,
            final=final,
        )
        transaction.on_commit(lambda: tenant_export_build.delay(export_id=export.pk))
    return export


def tenant_delete_request(
    *, tenant: Tenant, actor: str, reason: str, grace_days: int | None = None
) -> Tenant:
    """Start the grace period: read-only now, a final export on its way, purged when due."""
    reason = _reason_required(reason)
    days = conf.deletion_grace_days() if grace_days is None else grace_days
    if days < 0:
        raise LifecycleRefused(errors.LIFECYCLE_GRACE_NEGATIVE)
    with transaction.atomic():
        row = _locked(tenant)
        if row.status == Tenant.Status.PENDING_DELETION:
            raise LifecycleRefused(
                errors.LIFECYCLE_ALREADY_PENDING.format(due=f"{row.deletion_due_at:%d %b %Y}")
            )
        if row.status not in (Tenant.Status.ACTIVE, Tenant.Status.SUSPENDED):
            raise LifecycleRefused(errors.LIFECYCLE_PROVISIONING)
        due = timezone.now() + timedelta(days=days)
        _set(
            row,
            status=Tenant.Status.PENDING_DELETION,
            status_before_deletion=row.status,
            deletion_due_at=due,
        )
        audit_record(
            tenant=row,
            action=Action.DELETION_REQUEST,
            actor=actor,
            reason=reason,
            due=due.isoformat(),
            grace_days=days,
        )
        tenant_export_request(
            tenant=row, actor=SYSTEM, final=True, reason="final export before deletion"
        )
        _renewal_follow(row)
    logger.info("tenant deletion requested schema=%s due=%s by %s", row.schema_name, due, actor)
    return row


def _renewal_follow(tenant: Tenant) -> None:
    """Once this commits, the worker makes Stripe's renewal follow: off while the tenant waits
    to be deleted (nobody pays for a period they'll never use), back on if it is cancelled."""
    from billing.tasks import subscription_renewal_follow

    tenant_id = tenant.pk
    transaction.on_commit(lambda: subscription_renewal_follow.delay(tenant_id=tenant_id))


def deletion_requested_by(*, tenant: Tenant) -> str:
    """Who asked for the pending deletion (the latest request's actor), or ""."""
    entry = (
        AuditEntry.objects.filter(tenant_id=tenant.pk, action=Action.DELETION_REQUEST)
        .order_by("-created", "-id")
        .first()
    )
    return entry.actor if entry else ""


def tenant_delete_cancel(*, tenant: Tenant, actor: str, reason: str = "") -> Tenant:
    """Within the grace period: back to what it was (active, or suspended with its reason)."""
    with transaction.atomic():
        row = _locked(tenant)
        if row.status != Tenant.Status.PENDING_DELETION:
            raise LifecycleRefused(errors.LIFECYCLE_NOT_PENDING.format(status=row.status))
        back = row.status_before_deletion or Tenant.Status.ACTIVE
        _set(row, status=back, status_before_deletion="", deletion_due_at=None)
        audit_record(tenant=row, action=Action.DELETION_CANCEL, actor=actor, reason=reason)
        _renewal_follow(row)
    logger.info("tenant deletion cancelled schema=%s by %s", row.schema_name, actor)
    return row


def tenant_purge(*, tenant: Tenant, actor: str = SYSTEM, now=None) -> str:
    """Drop a tenant whose grace period is over: its Stripe subscription is cancelled, then
    its schema and every row about it go, in one transaction. Only the audit trail and the final
    export (kept FINAL_EXPORT_RETENTION days, to restore from) remain.

    Returns what happened: "purged", or why not yet ("not_due", "export_pending", …).
    """
    from billing.services import subscription_cancel_for_purge

    now = now or timezone.now()
    if tenant.is_public:
        raise PublicTenantProtected()
    fresh = Tenant.objects.filter(pk=tenant.pk).first()
    if fresh is None:
        return "gone"
    if fresh.status != Tenant.Status.PENDING_DELETION:
        return "not_pending"
    if fresh.deletion_due_at is None or fresh.deletion_due_at > now:
        return "not_due"
    final = TenantExport.objects.filter(tenant=fresh, is_final=True).order_by("-created").first()
    if final is None or final.status == TenantExport.Status.FAILED:
        # Never drop data that has no final copy: ask for one and come back next sweep.
        tenant_export_request(tenant=fresh, actor=SYSTEM, final=True, reason="retrying")
        return "export_requested"
    if final.status != TenantExport.Status.READY:
        return "export_pending"
    # Outside the transaction: a network call. Idempotent, and nothing is dropped if it fails.
    subscription_cancel_for_purge(tenant=fresh)
    with transaction.atomic():
        row = _locked(fresh)
        if row.status != Tenant.Status.PENDING_DELETION:
            return "not_pending"
        audit_record(
            tenant=row,
            action=Action.PURGE,
            actor=actor,
            schema=row.schema_name,
            final_export_id=final.pk,
        )
        # The final export stays (unlinked, until it expires); every other export goes.
        TenantExport.objects.filter(tenant=row).exclude(pk=final.pk).delete()
        TenantExport.objects.filter(pk=final.pk).update(
            tenant=None, expires_at=now + timedelta(days=conf.final_export_retention_days())
        )
        _rows_delete(row)
    logger.info("tenant purged schema=%s by %s", row.schema_name, actor)
    return "purged"


def tenants_purge_due(*, now=None) -> list[int]:
    """The tenants whose grace period is over (the sweep's question; one indexed query)."""
    now = now or timezone.now()
    return list(
        Tenant.objects.filter(
            status=Tenant.Status.PENDING_DELETION, deletion_due_at__lte=now
        ).values_list("pk", flat=True)
    )


def tenant_delete_now(*, tenant: Tenant, actor: str) -> None:
    """Drop a tenant's schema and its rows at once, no grace period: for tenants that never
    held a customer's data (a spare, a test, a signup that went wrong). Audited too.

    Like the purge, its Stripe subscription is cancelled first, so a deleted tenant is never
    charged again; if Stripe can't be reached nothing is deleted (LifecycleRefused)."""
    from billing.services import subscription_cancel_for_purge

    if tenant.is_public:
        raise PublicTenantProtected()
    try:
        subscription_cancel_for_purge(tenant=tenant)
    except Exception as exc:  # the SDK's network and API errors: refuse, keep everything
        logger.warning("delete-now refused schema=%s: %s", tenant.schema_name, exc)
        raise LifecycleRefused(
            errors.DELETE_NOW_STRIPE_UNREACHABLE.format(
                subdomain=tenant.subdomain, detail=exc.__class__.__name__
            )
        ) from exc
    with transaction.atomic():
        row = _locked(tenant)
        audit_record(
            tenant=row,
            action=Action.PURGE,
            actor=actor,
            reason="deleted at once (no grace period)",
            schema=row.schema_name,
        )
        TenantExport.objects.filter(tenant=row).delete()
        _rows_delete(row)
    logger.info("tenant deleted schema=%s by %s", row.schema_name, actor)


def _rows_delete(tenant: Tenant) -> None:
    """The schema and every public row about the tenant: its domain, subscription, activity,
    channel history, account index and sign-in tickets go with the tenant row (foreign keys,
    on delete cascade); the tables keyed by schema name are cleared here."""
    from tenants.models import WebhookDue
    from tenants.provisioning import schema_drop

    schema_drop(schema_name=tenant.schema_name)  # also its fleet state (tenants_schemastate)
    WebhookDue.objects.filter(schema_name=tenant.schema_name).delete()
    Tenant.objects.filter(pk=tenant.pk).delete()
