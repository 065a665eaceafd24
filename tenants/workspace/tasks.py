"""The worker's side of the workspace: invitation emails, webhook deliveries, data exports."""

from __future__ import annotations

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from tenants.celery import TenantTask
from tenants.db import current_tenant
from tenants.routing import tenant_url


def _admins_emails() -> list[str]:
    from tenants.workspace.models import Role

    return list(
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=[Role.OWNER, Role.ADMIN])
        .exclude(email="")
        .values_list("email", flat=True)
    )


@shared_task(base=TenantTask)
def invitation_email_send(*, schema_name: str, invitation_id: int, token: str) -> bool:
    """Email the invitation link. The token is only in this message and the email; if the
    invitation was resent (new token) or revoked meanwhile, this one is not sent."""
    import hashlib

    from tenants.workspace.models import Invitation

    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or not invitation.pending:
        return False
    if invitation.token_hash != hashlib.sha256(token.encode()).hexdigest():
        return False
    tenant = current_tenant()
    inviter = invitation.invited_by.email if invitation.invited_by else "Someone"
    context = {
        "tenant": tenant,
        "inviter": inviter,
        "role": invitation.get_role_display(),
        "url": tenant_url(tenant=tenant, path=f"/invitations/{token}/"),
        "expires": invitation.expires_at,
    }
    send_mail(
        subject=f"{inviter} invited you to {tenant.name} on Awan",
        message=render_to_string("workspace/email/invitation.txt", context),
        from_email=None,
        recipient_list=[invitation.email],
    )
    return True


@shared_task(base=TenantTask)
def webhook_deliveries_send(*, schema_name: str) -> int:
    """Send this tenant's due webhook deliveries (queued when events are recorded, and by beat
    for retries)."""
    from tenants.workspace.webhooks import deliveries_send

    return deliveries_send()


@shared_task
def webhook_deliveries_due() -> int:
    """Beat (every minute): queue a send for every tenant whose retries are due, read from the
    public index, never by looking into each tenant's schema."""
    from tenants.models import WebhookDue

    due = list(
        WebhookDue.objects.filter(due_at__lte=timezone.now()).values_list("schema_name", flat=True)
    )
    for schema_name in due:
        webhook_deliveries_send.delay(schema_name=schema_name)
    return len(due)


@shared_task(base=TenantTask)
def webhook_disabled_email_send(*, schema_name: str, endpoint_id: int) -> None:
    from tenants.workspace.models import WebhookEndpoint

    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        return
    tenant = current_tenant()
    context = {
        "tenant": tenant,
        "endpoint": endpoint,
        "url": tenant_url(tenant=tenant, path=reverse("webhooks", urlconf="config.urls_tenant")),
    }
    send_mail(
        subject=f"A webhook endpoint of {tenant.name} was turned off",
        message=render_to_string("workspace/email/webhook_disabled.txt", context),
        from_email=None,
        recipient_list=_admins_emails(),
    )


@shared_task(base=TenantTask, runs_when_suspended=False)
def data_export_build(*, schema_name: str, export_id: int) -> None:
    from tenants.workspace.exports import export_build

    export_build(export_id=export_id)
