"""Settings: the owner renames the workspace; anyone changes their own password."""

from __future__ import annotations

import html

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from tenants import errors
from tenants.models import Tenant
from tests.conftest import PASSWORD

NEW_PASSWORD = "a-completely-new-password-7"


def test_the_owner_renames_the_workspace_and_the_header_follows(acme, globex):
    client = acme.client()
    assert client.post("/settings/name/", {"name": "Acme Worldwide"})["Location"] == "/settings/"
    assert Tenant.objects.get(pk=acme.tenant.pk).name == "Acme Worldwide"
    assert "Acme Worldwide" in client.get("/").content.decode()
    assert Tenant.objects.get(pk=globex.tenant.pk).name == "Globex Corp"


def test_a_member_cannot_rename_the_workspace(acme):
    member = acme.client_as(acme.add_member())
    refused = member.post("/settings/name/", {"name": "Hijacked"})
    assert refused.status_code == 403
    assert html.escape(errors.WORKSPACE_OWNER_ONLY) in refused.content.decode()
    assert Tenant.objects.get(pk=acme.tenant.pk).name == "Acme Inc"


def test_a_name_with_a_line_break_is_refused(acme):
    response = acme.client().post("/settings/name/", {"name": "Acme\r\nBcc: x@y.z"})
    assert response.status_code == 400
    assert html.escape(errors.NAME_CONTROL_CHARACTERS) in response.content.decode()
    assert Tenant.objects.get(pk=acme.tenant.pk).name == "Acme Inc"


def test_a_member_changes_their_own_password_and_stays_signed_in(acme):
    member_id = acme.add_member()
    client = acme.client_as(member_id)
    response = client.post(
        "/settings/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/settings/"
    assert client.get("/").status_code == 200  # still signed in
    with schema_context(acme.schema):
        assert get_user_model().objects.get(pk=member_id).check_password(NEW_PASSWORD)


def test_a_wrong_current_password_changes_nothing(acme):
    response = acme.client().post(
        "/settings/password/",
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "Your old password was entered incorrectly" in html.unescape(response.content.decode())
    with schema_context(acme.schema):
        assert get_user_model().objects.get(pk=acme.owner_id).check_password(PASSWORD)


def test_a_members_settings_page_shows_the_name_without_the_rename_form(acme):
    page = acme.client_as(acme.add_member()).get("/settings/").content.decode()
    assert 'action="/settings/name/"' not in page
    assert 'action="/settings/password/"' in page
