"""The operators' admin can't take the platform down, and shows what the docs promise."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from tenants.flags import feature_enabled
from tenants.models import Tenant
from tenants.operators import operator_delete
from tenants.selectors import schema_exists
from tests.conftest import operator_verified
from tests.tenants.test_suspension import _rendered_form_data


@pytest.fixture
def operator(public_client):
    root = get_user_model().objects.create_superuser("root", "root@awan.test", "op-pass-12345")
    return operator_verified(public_client, root)


def _public() -> Tenant:
    return Tenant.objects.get(schema_name="public")


def test_the_public_tenant_has_no_delete_button_and_its_delete_page_is_refused(operator):
    public = _public()
    page = operator.get(f"/admin/tenants/tenant/{public.pk}/change/").content.decode()
    assert f"/admin/tenants/tenant/{public.pk}/delete/" not in page
    assert operator.get(f"/admin/tenants/tenant/{public.pk}/delete/").status_code == 403
    response = operator.post(f"/admin/tenants/tenant/{public.pk}/delete/", {"post": "yes"})
    assert response.status_code == 403
    assert Tenant.objects.filter(schema_name="public").exists()
    assert operator.get("/").status_code == 200


def test_bulk_deleting_a_selection_that_includes_the_public_tenant_is_refused(operator, acme):
    data = {
        "action": "delete_selected",
        "_selected_action": [_public().pk, acme.tenant.pk],
        "post": "yes",
    }
    response = operator.post("/admin/tenants/tenant/", data)
    assert response.status_code == 403
    assert Tenant.objects.filter(schema_name="public").exists()
    assert Tenant.objects.filter(pk=acme.tenant.pk).exists()
    assert operator.get("/").status_code == 200


def test_the_public_tenant_cannot_be_deleted_from_code_either(seeded_tenants, db):
    from tenants.models import PublicTenantProtected

    with pytest.raises(PublicTenantProtected):
        _public().delete()


def test_deleting_a_tenant_in_the_admin_drops_its_schema_too(live_db):
    from django.test import Client

    from tenants.services import tenant_signup

    doomed = tenant_signup(
        name="Doomed", subdomain="doomed", owner_email="o@doomed.test", password="a-long-pass-123"
    ).tenant
    root = get_user_model().objects.create_superuser("live-root", "r@awan.test", "op-pass-12345")
    try:
        client = operator_verified(Client(HTTP_HOST="localhost"), root)
        response = client.post(f"/admin/tenants/tenant/{doomed.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not Tenant.objects.filter(pk=doomed.pk).exists()
        assert not schema_exists(schema_name="t_doomed")
    finally:
        operator_delete(user=root)


def test_the_feature_override_select_is_rendered_and_saved_through_the_form(operator, acme, globex):
    url = f"/admin/tenants/tenant/{acme.tenant.pk}/change/"
    page = operator.get(url)
    html = page.content.decode()
    assert re.search(r'<select name="feature_insights"', html)
    assert "force on" in html and "follow the channel" in html

    data = _rendered_form_data(page.context["adminform"].form)
    assert data["feature_insights"] == ""
    data["feature_insights"] = "on"
    assert operator.post(url, data).status_code == 302

    acme_row = Tenant.objects.get(pk=acme.tenant.pk)
    assert acme_row.feature_overrides == {"insights": True}
    assert feature_enabled(acme_row, "insights")
    assert not feature_enabled(Tenant.objects.get(pk=globex.tenant.pk), "insights")
    again = operator.get(url).context["adminform"].form
    assert again["feature_insights"].value() == "on"


def test_an_operator_account_can_be_deleted_in_the_operators_admin(operator):
    other = get_user_model().objects.create_superuser("other", "o@awan.test", "op-pass-12345")
    assert operator.get(f"/admin/auth/user/{other.pk}/delete/").status_code == 200
    response = operator.post(f"/admin/auth/user/{other.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not get_user_model().objects.filter(pk=other.pk).exists()
