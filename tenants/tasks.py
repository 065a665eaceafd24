from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from tenants.celery import TenantTask
from tenants.db import current_schema_name
from tenants.directory import tenants_for_email
from tenants.models import Tenant
from tenants.routing import tenant_url


@shared_task(base=TenantTask)
def tenant_send_welcome_email(*, schema_name: str, user_id: int) -> None:
    """Welcome a new tenant's owner, once. The row lock plus `welcomed_at` make a re-delivered
    task (acks_late after a worker died) a no-op once the first run has committed."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return
    with transaction.atomic():
        tenant = Tenant.objects.select_for_update().get(schema_name=current_schema_name())
        if tenant.welcomed_at is not None:
            return
        context = {
            "user": user,
            "tenant": tenant,
            "workspace_url": tenant_url(tenant=tenant, path="/"),
        }
        send_mail(
            subject=f"Welcome to Awan, {tenant.name}",
            message=render_to_string("tenants/email/welcome.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )
        tenant.welcomed_at = timezone.now()
        tenant.save(update_fields=["welcomed_at"])


@shared_task
def workspace_links_send(*, email: str) -> int:
    """Email `email` a sign-in link to each workspace it belongs to (none: send nothing, so an
    address can't be used to spam a stranger). Returns how many links went out."""
    workspaces = tenants_for_email(email=email)
    if not workspaces:
        return 0
    links = [(t.name, tenant_url(tenant=t, path="/login/")) for t in workspaces]
    send_mail(
        subject="Your Awan workspaces",
        message=render_to_string("tenants/email/workspaces.txt", {"links": links}),
        from_email=None,
        recipient_list=[email],
    )
    return len(links)


@shared_task(bind=True, max_retries=8)
def tenant_provision(self, *, schema_name: str) -> bool:
    """Build a `provisioning` tenant's schema (signed up while the pool was empty), create its
    owner and make it active. Idempotent; retried with backoff if the database hiccups."""
    from tenants.services import tenant_provision_complete

    try:
        return tenant_provision_complete(schema_name=schema_name) is not None
    except Exception as exc:
        raise self.retry(exc=exc, countdown=min(60, 2**self.request.retries)) from exc


@shared_task
def schema_pool_refill() -> int:
    """Beat (every minute) and every signup: top the pool of spare schemas up to its size."""
    from tenants.fleet.pool import pool_drop_broken, pool_refill

    pool_drop_broken()
    return pool_refill()


@shared_task
def fleet_migrate_ring(*, ring: str = "stable", jobs: int = 2) -> dict:
    """The stable ring, migrated by the worker after a release that did only public, the pool
    and beta (`manage.py release --defer-stable`), for a fleet whose migration would outgrow
    Heroku's one-hour release phase. Safe to run twice at once: schemas are locked one by one."""
    import logging

    from tenants.fleet.runner import fleet_migrate

    log = logging.getLogger("tenants.fleet")
    report = fleet_migrate(rings=[ring], jobs=jobs, say=log.info)
    return {
        "ring": ring,
        "migrated": report.count("migrated"),
        "failed": [r.schema for r in report.failed],
    }


# --- a tenant's life: exports, the purge after the grace period ----------------------------
@shared_task(bind=True, max_retries=3)
def tenant_export_build(self, *, export_id: int) -> str:
    """Build an operator's (or a final) export of a tenant's whole schema. A public task, not
    a TenantTask: it must run for suspended tenants and those pending deletion."""
    from tenants.archive import export_build

    try:
        export = export_build(export_id=export_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=30 * (self.request.retries + 1)) from exc
    return export.status if export else "gone"


@shared_task
def tenants_purge_due() -> int:
    """Beat, hourly: one purge task per tenant whose grace period is over."""
    from tenants.lifecycle import tenants_purge_due as due

    pks = due()
    for pk in pks:
        tenant_purge.delay(tenant_id=pk)
    return len(pks)


@shared_task(bind=True, max_retries=5)
def tenant_purge(self, *, tenant_id: int) -> str:
    """Purge one tenant (re-checks that it is still pending and due). A Stripe error leaves it
    in place and retries; so does the next sweep."""
    import logging

    from tenants.lifecycle import tenant_purge as purge

    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        return "gone"
    try:
        outcome = purge(tenant=tenant)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=60 * (self.request.retries + 1)) from exc
    logging.getLogger(__name__).info("purge tenant=%s outcome=%s", tenant_id, outcome)
    return outcome


@shared_task
def tenant_exports_expire() -> int:
    """Beat, daily: drop exports past their expiry (and their chunks)."""
    from tenants.models import TenantExport

    deleted, _ = TenantExport.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted


@shared_task
def tenant_restore_from_export(
    *, job: str, export_id: int, subdomain: str, name: str, actor: str
) -> None:
    """A console restore (tenants.archive.restore_run): all or nothing, its outcome in Redis."""
    from tenants.archive import restore_run

    restore_run(job=job, export_id=export_id, subdomain=subdomain, name=name, actor=actor)
