from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail

from core_app.models import Export
from core_app.selectors import insights_daily
from core_app.services import export_build
from tenants.celery import TenantTask
from tenants.db import current_tenant
from tenants.flags import feature_enabled


@shared_task(base=TenantTask)
def project_export_build(*, schema_name: str, export_id: int) -> None:
    """Build one export inside `schema_name`. Idempotent: a finished export is left alone."""
    export = Export.objects.select_related("project").filter(pk=export_id).first()
    if export is None or export.status == Export.Status.DONE:
        return
    export_build(export=export)


@shared_task(base=TenantTask)
def insights_digest_send(*, schema_name: str) -> bool:
    """Email the owners this week's numbers, for tenants with the insights feature on.
    Returns whether it sent, so callers (and tests) see the flag decision."""
    if not feature_enabled(current_tenant(), "insights"):
        return False
    series = insights_daily(days=7)
    created = sum(p["created"] for p in series)
    completed = sum(p["completed"] for p in series)
    owners = get_user_model().objects.filter(is_superuser=True, is_active=True).exclude(email="")
    send_mail(
        subject="Your week in Awan",
        message=f"This week your team created {created} tasks and completed {completed}.",
        from_email=None,
        recipient_list=list(owners.values_list("email", flat=True)),
    )
    return True
