"""A tenant's life after signup: each change a service that checks the state it starts from,
refuses the public tenant, and leaves an audit row that nobody can change; pending deletion is
read-only and says when; the purge leaves no schema and no row behind; the commands give the
same services to scripts, with exit code 1 on an unknown or public tenant."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Subscription, SubscriptionChange
from core_app.models import Project
from tenants import errors
from tenants.lifecycle import (
    LifecycleRefused,
    tenant_delete_cancel,
    tenant_delete_request,
    tenant_purge,
    tenant_reactivate,
    tenant_suspend,
    tenants_purge_due,
)
from tenants.models import (
    AccountIndex,
    AuditEntry,
    ChannelChange,
    Domain,
    PublicTenantProtected,
    SchemaState,
    Tenant,
    TenantActivity,
    TenantExport,
    WebhookDue,
)
from tenants.selectors import schema_exists
from tenants.services import tenant_signup
from tests.conftest import PASSWORD
from tests.factories import ProjectFactory
from tests.queue import run_queued


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """Services queue the export when they commit."""


def _public() -> Tenant:
    return Tenant.objects.get(schema_name="public")


def _fresh(info) -> Tenant:
    return Tenant.objects.get(pk=info.tenant.pk)


def _actions(tenant: Tenant) -> list[str]:
    return list(
        AuditEntry.objects.filter(tenant_id=tenant.pk).order_by("created", "id")
        .values_list("action", flat=True)
    )  # fmt: skip


# --- suspend / reactivate -----------------------------------------------------------------
def test_suspend_and_reactivate_are_audited_with_who_and_why(acme):
    tenant_suspend(tenant=acme.tenant, reason="Chargeback on invoice 42", actor="operator:ana")
    tenant_reactivate(tenant=acme.tenant, actor="operator:bo", reason="paid")
    entries = list(AuditEntry.objects.filter(tenant_id=acme.tenant.pk).order_by("id"))
    assert [(e.action, e.actor, e.reason) for e in entries] == [
        ("suspend", "operator:ana", "Chargeback on invoice 42"),
        ("reactivate", "operator:bo", "paid"),
    ]
    assert entries[0].tenant_subdomain == "acme"


def test_a_suspension_needs_a_reason_and_an_active_tenant(acme):
    with pytest.raises(LifecycleRefused, match="reason"):
        tenant_suspend(tenant=acme.tenant, reason="   ", actor="operator:ana")
    with pytest.raises(LifecycleRefused, match="isn't suspended"):
        tenant_reactivate(tenant=acme.tenant, actor="operator:ana")
    assert _fresh(acme).status == "active" and _actions(acme.tenant) == []


@pytest.mark.parametrize(
    "change",
    [
        lambda t: tenant_suspend(tenant=t, reason="x", actor="a"),
        lambda t: tenant_reactivate(tenant=t, actor="a"),
        lambda t: tenant_delete_request(tenant=t, reason="x", actor="a"),
        lambda t: tenant_delete_cancel(tenant=t, actor="a"),
        lambda t: tenant_purge(tenant=t),
    ],
)
def test_every_lifecycle_change_refuses_the_public_tenant(seeded_tenants, db, change):
    with pytest.raises(PublicTenantProtected):
        change(_public())
    assert _public().status == "active"
    assert not AuditEntry.objects.filter(tenant_id=_public().pk).exists()


def test_the_audit_trail_is_append_only_in_the_database(acme):
    tenant_suspend(tenant=acme.tenant, reason="x", actor="operator:ana")
    entry = AuditEntry.objects.get(tenant_id=acme.tenant.pk)
    for attempt in (
        lambda: AuditEntry.objects.filter(pk=entry.pk).update(reason="nothing happened"),
        lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            attempt()
    for statement in ("DELETE FROM tenants_auditentry", "TRUNCATE tenants_auditentry"):
        with (
            connection.cursor() as cursor,
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
        ):
            cursor.execute(statement)
    assert AuditEntry.objects.get(pk=entry.pk).reason == "x"


# --- deletion: request, read-only, cancel -------------------------------------------------
def test_a_deletion_request_starts_the_grace_period_and_a_final_export(acme, settings):
    settings.TENANT_DELETION_GRACE_DAYS = 30
    before = timezone.now()
    tenant_delete_request(tenant=acme.tenant, reason="Customer left", actor="operator:ana")
    tenant = _fresh(acme)
    assert tenant.status == "pending_deletion" and tenant.status_before_deletion == "active"
    assert (
        before + timedelta(days=30) <= tenant.deletion_due_at <= timezone.now() + timedelta(days=30)
    )
    final = TenantExport.objects.get(tenant=tenant)
    assert final.is_final and final.status == "pending"
    assert _actions(tenant) == ["deletion_request", "export"]
    with pytest.raises(LifecycleRefused, match="already set to be deleted"):
        tenant_delete_request(tenant=tenant, reason="again", actor="operator:ana")


def test_pending_deletion_is_read_only_and_says_when(acme, globex):
    tenant_delete_request(tenant=acme.tenant, reason="Customer left", actor="operator:ana")
    client = acme.client()
    page = client.get("/")
    assert page.status_code == 200
    assert "will be <strong>deleted on" in page.content.decode()
    refused = client.post("/projects/new/", {"name": "Sneaky"})
    assert refused.status_code == 403
    due = f"{_fresh(acme).deletion_due_at:%d %B %Y}"
    assert (
        html.escape(errors.WORKSPACE_PENDING_DELETION.format(due=due)) in refused.content.decode()
    )
    api = client.post("/api/v1/projects/", {"name": "x"}, content_type="application/json")
    assert api.status_code == 403 and api.json()["error"] == "pending_deletion"
    with schema_context(acme.schema):
        assert not Project.objects.filter(name="Sneaky").exists()
    # Still possible: exporting one's data, signing out and in.
    assert client.post("/settings/export/").status_code == 302
    assert client.post("/logout/").status_code == 302
    login = acme.client(logged_in=False).post(
        "/login/", {"username": acme.owner_email, "password": PASSWORD}
    )
    assert login.status_code == 302
    # The other tenant is untouched.
    assert globex.client().post("/projects/new/", {"name": "Fine"}).status_code == 302


def test_cancelling_goes_back_to_where_it_was(acme):
    tenant_suspend(tenant=acme.tenant, reason="Unpaid", actor="operator:ana")
    tenant_delete_request(tenant=acme.tenant, reason="Gone quiet", actor="operator:ana")
    tenant = tenant_delete_cancel(tenant=acme.tenant, actor="operator:bo", reason="they paid")
    assert (tenant.status, tenant.status_reason, tenant.deletion_due_at) == (
        "suspended",
        "Unpaid",
        None,
    )
    assert _actions(tenant) == ["suspend", "deletion_request", "export", "deletion_cancel"]
    with pytest.raises(LifecycleRefused, match="isn't pending deletion"):
        tenant_delete_cancel(tenant=tenant, actor="operator:bo")


def test_the_owner_deletes_their_workspace_from_settings_and_can_cancel(acme):
    client = acme.client()
    wrong = client.post(
        "/settings/delete/", {"confirm": "acme-typo", "password": PASSWORD, "reason": ""}
    )
    assert wrong.status_code == 400 and _fresh(acme).status == "active"
    assert html.escape(errors.DELETION_CONFIRM_MISMATCH.format(subdomain="acme")) in (
        wrong.content.decode()
    )
    bad_password = client.post("/settings/delete/", {"confirm": "acme", "password": "nope"})
    assert bad_password.status_code == 400 and _fresh(acme).status == "active"

    done = client.post(
        "/settings/delete/", {"confirm": "acme", "password": PASSWORD, "reason": "Too pricey"}
    )
    assert done.status_code == 302 and _fresh(acme).status == "pending_deletion"
    entry = AuditEntry.objects.get(tenant_id=acme.tenant.pk, action="deletion_request")
    assert (entry.actor, entry.reason) == (f"owner:{acme.owner_email}", "Too pricey")
    settings_page = client.get("/settings/").content.decode()
    assert "Cancel the deletion" in settings_page

    assert client.post("/settings/delete/cancel/").status_code == 302
    assert _fresh(acme).status == "active"


def test_members_and_admins_cannot_delete_the_workspace(acme):
    for role in ("member", "admin"):
        client = acme.client_as(acme.add_member(f"{role}@acme.test", role=role))
        response = client.post("/settings/delete/", {"confirm": "acme", "password": PASSWORD})
        assert response.status_code == 403
    assert _fresh(acme).status == "active"


def test_an_owner_cannot_cancel_a_deletion_the_operators_scheduled(acme):
    tenant_delete_request(tenant=acme.tenant, reason="Abuse", actor="operator:ana")
    response = acme.client().post("/settings/delete/cancel/")
    assert response.status_code == 302 and _fresh(acme).status == "pending_deletion"
    page = acme.client().get("/settings/").content.decode()
    assert "contact support to cancel it" in page


# --- the purge ----------------------------------------------------------------------------
@pytest.fixture
def doomed(seeded_tenants, db):
    tenant = tenant_signup(
        name="Doomed Co", subdomain="doomed", owner_email="o@doomed.test", password=PASSWORD
    ).tenant
    with schema_context(tenant.schema_name):
        ProjectFactory(name="Last project")
    TenantActivity.objects.create(tenant=tenant, last_seen_at=timezone.now())
    WebhookDue.objects.create(schema_name=tenant.schema_name, due_at=timezone.now())
    ChannelChange.objects.create(tenant=tenant, from_channel="stable", to_channel="beta", actor="x")
    return tenant


def _rows_about(tenant: Tenant) -> dict[str, int]:
    return {
        "tenant": Tenant.objects.filter(pk=tenant.pk).count(),
        "domain": Domain.objects.filter(tenant_id=tenant.pk).count(),
        "subscription": Subscription.objects.filter(tenant_id=tenant.pk).count(),
        "account_index": AccountIndex.objects.filter(tenant_id=tenant.pk).count(),
        "activity": TenantActivity.objects.filter(tenant_id=tenant.pk).count(),
        "channel_changes": ChannelChange.objects.filter(tenant_id=tenant.pk).count(),
        "schema_state": SchemaState.objects.filter(schema_name=tenant.schema_name).count(),
        "webhook_due": WebhookDue.objects.filter(schema_name=tenant.schema_name).count(),
        "history_linked": SubscriptionChange.objects.filter(tenant_id=tenant.pk).count(),
        "exports_linked": TenantExport.objects.filter(tenant_id=tenant.pk).count(),
    }


def test_the_purge_waits_for_the_due_date_and_the_final_export(doomed):
    tenant_delete_request(tenant=doomed, reason="Closed", actor="operator:ana", grace_days=3)
    assert tenant_purge(tenant=doomed) == "not_due"
    later = timezone.now() + timedelta(days=3, minutes=1)
    assert tenants_purge_due(now=later) == [doomed.pk]
    assert tenant_purge(tenant=doomed, now=later) == "export_pending"
    assert schema_exists(schema_name=doomed.schema_name)


def test_a_failed_final_export_is_retried_not_skipped(doomed):
    tenant_delete_request(tenant=doomed, reason="Closed", actor="operator:ana", grace_days=0)
    TenantExport.objects.filter(tenant=doomed).update(status="failed", error="disk full")
    assert tenant_purge(tenant=doomed) == "export_requested"
    assert TenantExport.objects.filter(tenant=doomed, is_final=True, status="pending").exists()
    assert schema_exists(schema_name=doomed.schema_name)


def test_the_purge_leaves_no_schema_and_no_row_only_the_audit_and_the_final_export(doomed):
    tenant_delete_request(tenant=doomed, reason="Closed", actor="operator:ana", grace_days=0)
    run_queued(only="tenant_export_build")
    assert _rows_about(doomed)["tenant"] == 1
    assert tenant_purge(tenant=doomed) == "purged"

    assert not schema_exists(schema_name=doomed.schema_name)
    assert set(_rows_about(doomed).values()) == {0}
    final = TenantExport.objects.get(tenant_subdomain="doomed")
    assert final.is_final and final.status == "ready" and final.tenant_id is None
    assert final.expires_at > timezone.now() + timedelta(days=80)
    assert _actions(doomed)[-1] == "purge"
    # The revenue history stays, unlinked: the subscription ended, then went.
    ends = SubscriptionChange.objects.filter(tenant__isnull=True).order_by("-id")[:2]
    assert [c.status for c in ends] == ["deleted", "canceled"]


def test_the_purge_sweep_queues_only_tenants_that_are_due(doomed, acme):
    from tenants.tasks import tenants_purge_due as sweep

    tenant_delete_request(tenant=doomed, reason="Closed", actor="operator:ana", grace_days=0)
    tenant_delete_request(tenant=acme.tenant, reason="Later", actor="operator:ana", grace_days=9)
    run_queued(only="tenant_export_build")
    assert sweep.apply().get() == 1
    results = dict(run_queued(only="tenant_purge"))
    assert list(results.values()) == ["purged"]
    assert not Tenant.objects.filter(pk=doomed.pk).exists()
    assert _fresh(acme).status == "pending_deletion" and schema_exists(schema_name=acme.schema)


# --- the commands -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "argv",
    [
        ["tenant_suspend", "{sub}", "--reason", "x"],
        ["tenant_reactivate", "{sub}"],
        ["tenant_export", "{sub}", "--inline"],
        ["tenant_delete", "{sub}", "--reason", "x"],
        ["tenant_delete_cancel", "{sub}"],
    ],
)
@pytest.mark.parametrize("subdomain", ["nope", "public"])
def test_commands_refuse_unknown_and_public_tenants_with_a_clear_error(
    seeded_tenants, db, argv, subdomain
):
    with pytest.raises(CommandError) as refused:
        call_command(*[a.format(sub=subdomain) for a in argv])
    expected = "No tenant with subdomain" if subdomain == "nope" else "public tenant"
    assert expected in str(refused.value)


def test_commands_run_the_same_services(acme, capsys):
    call_command("tenant_suspend", "acme", "--reason", "Fraud check")
    assert _fresh(acme).status_reason == "Fraud check"
    with pytest.raises(CommandError, match="isn't pending deletion"):
        call_command("tenant_delete_cancel", "acme")
    call_command("tenant_reactivate", "acme")
    call_command("tenant_delete", "acme", "--reason", "Asked by email", "--grace-days", "5")
    assert "pending deletion" in capsys.readouterr().out
    call_command("tenant_delete_cancel", "acme")
    assert _fresh(acme).status == "active"
    entries = AuditEntry.objects.filter(tenant_id=acme.tenant.pk).exclude(action="export")
    actors = set(entries.values_list("actor", flat=True))
    assert len(actors) == 1 and actors.pop().startswith("cli:")
    # The final export the deletion asked for is the system's doing.
    assert (
        AuditEntry.objects.get(tenant_id=acme.tenant.pk, action="export").actor == "system:worker"
    )


def test_commands_exit_with_code_1_on_refusal(seeded_tenants, db):
    import os
    import subprocess
    import sys

    from tests.conftest import database_url

    done = subprocess.run(
        [sys.executable, "manage.py", "tenant_suspend", "public", "--reason", "x"],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DATABASE_URL": database_url(),
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
        },
        timeout=60,
    )
    assert done.returncode == 1 and "public tenant" in done.stderr
