"""`suspended` means suspended: web, login, admin, API and tenant tasks all stop for that
tenant (its data stays), only for that tenant, until an operator reactivates it."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from core_app.models import Project
from tenants import errors
from tenants.lifecycle import tenant_reactivate, tenant_suspend
from tenants.models import PublicTenantProtected, Tenant
from tests.conftest import PASSWORD, operator_verified
from tests.factories import ProjectFactory

REASON = "Unpaid invoices since March"


@pytest.fixture
def suspended_acme(acme):
    with schema_context(acme.schema):
        ProjectFactory(name="Kept safe")
    tenant_suspend(tenant=acme.tenant, reason=REASON, actor="operator:test")
    return acme


def _is_suspended_page(response) -> bool:
    body = response.content.decode()
    return (
        response.status_code == 403
        and html.escape(errors.WORKSPACE_SUSPENDED) in body
        and html.escape(REASON) in body
    )


@pytest.mark.parametrize(
    "path", ["/", "/projects/new/", "/members/", "/settings/", "/billing/", "/admin/", "/login/"]
)
def test_every_page_of_a_suspended_workspace_says_so(suspended_acme, path):
    assert _is_suspended_page(suspended_acme.client().get(path))


def test_a_suspended_workspaces_users_cannot_log_in(suspended_acme):
    client = suspended_acme.client(logged_in=False)
    response = client.post(
        "/login/", {"username": suspended_acme.owner_email, "password": PASSWORD}
    )
    assert _is_suspended_page(response)
    assert "_auth_user_id" not in client.session


def test_a_suspended_workspace_cannot_write(suspended_acme):
    response = suspended_acme.client().post("/projects/new/", {"name": "Sneaky"})
    assert _is_suspended_page(response)
    with schema_context(suspended_acme.schema):
        assert list(Project.objects.values_list("name", flat=True)) == ["Kept safe"]


def test_a_suspended_workspaces_api_answers_403_in_json(suspended_acme):
    response = suspended_acme.client().get("/api/v1/projects/")
    assert response.status_code == 403
    assert response.json() == {"error": "workspace_suspended", "detail": errors.WORKSPACE_SUSPENDED}


def test_a_suspended_workspaces_tasks_are_skipped(suspended_acme, mailoutbox):
    from tenants.tasks import tenant_send_welcome_email

    Tenant.objects.filter(pk=suspended_acme.tenant.pk).update(welcomed_at=None)
    tenant_send_welcome_email.apply(
        kwargs={"schema_name": suspended_acme.schema, "user_id": suspended_acme.owner_id}
    )
    assert mailoutbox == []
    assert Tenant.objects.get(pk=suspended_acme.tenant.pk).welcomed_at is None


def test_suspending_one_workspace_leaves_the_others_alone(suspended_acme, globex):
    assert globex.client().get("/").status_code == 200
    assert globex.client().post("/projects/new/", {"name": "Fine"}).status_code == 302


def test_reactivating_brings_it_back_with_its_data(suspended_acme):
    tenant_reactivate(tenant=suspended_acme.tenant, actor="operator:test")
    page = suspended_acme.client().get("/")
    assert page.status_code == 200 and "Kept safe" in page.content.decode()


def test_the_operator_suspends_and_reactivates_from_the_admin_with_a_reason(public_client, acme):
    operator = get_user_model().objects.create_superuser("root", "root@awan.test", "op-pass-123")
    operator_verified(public_client, operator)
    url = f"/admin/tenants/tenant/{acme.tenant.pk}/change/"
    form = public_client.get(url).context["adminform"].form
    data = _rendered_form_data(form)
    data.update(status="suspended", status_reason=REASON)
    assert public_client.post(url, data).status_code == 302
    assert _is_suspended_page(acme.client().get("/"))

    data.update(status="active", status_reason="")
    assert public_client.post(url, data).status_code == 302
    assert acme.client().get("/").status_code == 200


def test_the_public_tenant_cannot_be_suspended(seeded_tenants, db):
    public = Tenant.objects.get(schema_name="public")
    with pytest.raises(PublicTenantProtected):
        tenant_suspend(tenant=public, reason="oops", actor="test")
    assert Tenant.objects.get(schema_name="public").status == Tenant.Status.ACTIVE


def _rendered_form_data(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        data[name] = "" if value is None else value
    data.update(
        {
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "channel_changes-TOTAL_FORMS": "0",
            "channel_changes-INITIAL_FORMS": "0",
        }
    )
    return data
