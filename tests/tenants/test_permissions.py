"""The permission table, held everywhere: every page and action of a workspace, for each role
(owner, admin, member), allowed or refused with 403 — written out here on purpose, so a change
to the code's table that isn't meant shows up as a failing row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.roles import PERMISSIONS, Perm, Role, role_of
from tenants.workspace.apikeys import apikey_create
from tenants.workspace.models import (
    ApiKey,
    DataExport,
    Invitation,
    WebhookDelivery,
    WebhookEndpoint,
)
from tenants.workspace.outbox import event_record
from tenants.workspace.team import invitation_create
from tenants.workspace.webhooks import endpoint_create

OWNER, ADMIN, MEMBER = "owner", "admin", "member"

# (method, path, data, roles allowed)
MATRIX = [
    ("get", "/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/projects/new/", None, {OWNER, ADMIN, MEMBER}),
    ("post", "/projects/new/", {"name": "By role"}, {OWNER, ADMIN, MEMBER}),
    ("get", "/members/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/usage/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/settings/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/billing/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/api/v1/projects/", None, {OWNER, ADMIN, MEMBER}),
    ("post", "/members/invite/", {"email": "new@acme.test", "role": "member"}, {OWNER, ADMIN}),
    ("get", "/developers/api-keys/", None, {OWNER, ADMIN}),
    (
        "post",
        "/developers/api-keys/",
        {"name": "k", "scope": "read", "nonce": "one-time-form-value"},
        {OWNER, ADMIN},
    ),
    ("get", "/developers/webhooks/", None, {OWNER, ADMIN}),
    (
        "post",
        "/developers/webhooks/",
        {"url": "http://127.0.0.1:9/h", "events": "task.created"},
        {OWNER, ADMIN},
    ),
    ("get", "/settings/export/", None, {OWNER, ADMIN}),
    ("post", "/settings/export/", None, {OWNER, ADMIN}),
    ("post", "/settings/name/", {"name": "Renamed"}, {OWNER}),
    ("post", "/settings/channel/", {"channel": "beta"}, {OWNER}),
    ("post", "/billing/checkout/starter/", None, {OWNER}),
    ("post", "/billing/portal/", None, {OWNER}),
]


@pytest.fixture
def as_role(acme, run_on_commit):
    def client(role: str):
        if role == OWNER:
            return acme.client()
        return acme.client_as(acme.add_member(f"{role}@acme.test", role=role))

    return client


@pytest.mark.parametrize("role", [OWNER, ADMIN, MEMBER])
@pytest.mark.parametrize(("method", "path", "data", "allowed"), MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])  # fmt: skip
def test_each_role_is_allowed_or_refused_exactly_as_the_table_says(
    as_role, role, method, path, data, allowed
):
    response = getattr(as_role(role), method)(path, data or {})
    if role in allowed:
        assert response.status_code in (200, 201, 302), (role, path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)


def test_the_tenants_own_django_admin_is_for_owners_only(as_role):
    assert as_role(OWNER).get("/admin/").status_code == 200
    for role in (ADMIN, MEMBER):
        assert as_role(role).get("/admin/")["Location"].startswith("/admin/login/")


def test_the_code_table_is_the_one_the_docs_show():
    assert PERMISSIONS[Perm.MANAGE_BILLING] == {Role.OWNER}
    assert PERMISSIONS[Perm.MANAGE_API_KEYS] == {Role.OWNER, Role.ADMIN}
    assert PERMISSIONS[Perm.USE_PRODUCT] == set(Role)
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    from tenants.roles import DESCRIPTIONS

    for perm, label in DESCRIPTIONS.items():
        marks = " | ".join(
            "✓" if r in PERMISSIONS[perm] else " " for r in (Role.OWNER, Role.ADMIN, Role.MEMBER)
        )
        assert f"| {label} | {marks} |" in docs, label


# --- actions on one thing, addressed by its id -------------------------------------------

# (method, path with {key}/{endpoint}/{delivery}/{export}, roles allowed)
BY_ID = [
    ("post", "/developers/api-keys/{key}/revoke/", {OWNER, ADMIN}),
    ("get", "/developers/webhooks/{endpoint}/", {OWNER, ADMIN}),
    ("post", "/developers/webhooks/{endpoint}/toggle/", {OWNER, ADMIN}),
    ("post", "/developers/webhooks/{endpoint}/delete/", {OWNER, ADMIN}),
    ("post", "/developers/deliveries/{delivery}/redeliver/", {OWNER, ADMIN}),
    ("get", "/settings/export/{export}/download/", {OWNER, ADMIN}),
]


def _things(info) -> dict[str, int]:
    """One of each id-addressed thing in `info`'s workspace, made by its owner."""
    with schema_context(info.schema):
        owner = info.owner()
        key, _ = apikey_create(name="k", scope="read", actor=owner)
        endpoint = endpoint_create(
            url="http://127.0.0.1:9/h", events=["project.created"], actor=owner
        )
        event_record("project.created", {"id": 1})
        delivery = WebhookDelivery.objects.get(endpoint=endpoint)
        export = DataExport.objects.create(
            status=DataExport.Status.READY,
            content=b"PK",
            size=2,
            filename="x.zip",
            expires_at=timezone.now() + timedelta(hours=1),
        )
        return {
            "key": key.pk,
            "endpoint": endpoint.pk,
            "delivery": delivery.pk,
            "export": export.pk,
        }


@pytest.mark.parametrize("role", [OWNER, ADMIN, MEMBER])
@pytest.mark.parametrize(("method", "path", "allowed"), BY_ID,
                         ids=[f"{m} {p}" for m, p, _ in BY_ID])  # fmt: skip
def test_each_role_acts_on_one_thing_exactly_as_the_table_says(
    acme, as_role, role, method, path, allowed
):
    url = path.format(**_things(acme))
    client = as_role(role)
    with schema_context(acme.schema):
        before = (
            ApiKey.objects.filter(revoked_at__isnull=True).count(),
            list(WebhookEndpoint.objects.values_list("pk", "is_active")),
        )
    response = getattr(client, method)(url)
    if role in allowed:
        assert response.status_code in (200, 302), (role, url, response.status_code)
    else:
        assert response.status_code == 403, (role, url, response.status_code)
        with schema_context(acme.schema):
            after = (
                ApiKey.objects.filter(revoked_at__isnull=True).count(),
                list(WebhookEndpoint.objects.values_list("pk", "is_active")),
            )
        assert after == before  # a refusal changes nothing


# --- the team's actions: the services decide (a refusal is a message, and nothing changes) --

TEAM = [
    # (action, roles allowed, how to see it happened)
    ("role", {OWNER, ADMIN}),
    ("remove", {OWNER, ADMIN}),
    ("transfer", {OWNER}),
    ("resend", {OWNER, ADMIN}),
    ("revoke", {OWNER, ADMIN}),
]


@pytest.mark.parametrize("role", [OWNER, ADMIN, MEMBER])
@pytest.mark.parametrize(("action", "allowed"), TEAM, ids=[a for a, _ in TEAM])
def test_each_role_changes_the_team_exactly_as_the_table_says(acme, as_role, role, action, allowed):
    client = as_role(role)  # adds the admin or member who acts
    target = acme.add_member("target@acme.test", role="member")
    with schema_context(acme.schema):
        invitation = invitation_create(email="new@acme.test", role="member", actor=acme.owner())
        sends = invitation.send_count
    url = {
        "role": f"/members/{target}/role/",
        "remove": f"/members/{target}/remove/",
        "transfer": f"/members/{target}/transfer/",
        "resend": f"/members/invitations/{invitation.pk}/resend/",
        "revoke": f"/members/invitations/{invitation.pk}/revoke/",
    }[action]
    response = client.post(url, {"role": "admin"}, follow=True)
    assert response.status_code == 200
    with schema_context(acme.schema):
        user = get_user_model().objects.filter(pk=target).first()
        invitation.refresh_from_db()
        happened = {
            "role": user is not None and role_of(user) == Role.ADMIN,
            "remove": user is None,
            "transfer": user is not None and role_of(user) == Role.OWNER,
            "resend": invitation.send_count == sends + 1,
            "revoke": invitation.revoked_at is not None,
        }[action]
    assert happened == (role in allowed), (role, action)
    if role not in allowed:
        shown = [str(m) for m in response.context["messages"]]
        assert shown and "only" in shown[0].lower(), shown


# --- another workspace's ids mean nothing here -------------------------------------------


def test_another_workspaces_ids_reach_nothing_of_it(acme, globex, run_on_commit):
    theirs = _things(globex)
    target = globex.add_member("target@globex.test", role="member")
    with schema_context(globex.schema):
        invitation = invitation_create(email="new@globex.test", role="member", actor=globex.owner())
    with schema_context(acme.schema):  # nothing of acme's has those ids
        assert not ApiKey.objects.filter(pk=theirs["key"]).exists()
        assert not WebhookEndpoint.objects.filter(pk=theirs["endpoint"]).exists()
        assert not WebhookDelivery.objects.filter(pk=theirs["delivery"]).exists()
        assert not DataExport.objects.filter(pk=theirs["export"]).exists()
        assert not get_user_model().objects.filter(pk=target).exists()
        assert not Invitation.objects.filter(pk=invitation.pk).exists()
    client = acme.client()
    for method, path, _ in BY_ID:
        response = getattr(client, method)(path.format(**theirs))
        assert response.status_code == 404, (path, response.status_code)
    for path in (
        f"/members/{target}/role/",
        f"/members/{target}/remove/",
        f"/members/{target}/transfer/",
        f"/members/invitations/{invitation.pk}/resend/",
        f"/members/invitations/{invitation.pk}/revoke/",
    ):
        client.post(path, {"role": "owner"})
    with schema_context(globex.schema):
        assert ApiKey.objects.get(pk=theirs["key"]).revoked_at is None
        assert WebhookEndpoint.objects.get(pk=theirs["endpoint"]).is_active
        assert WebhookDelivery.objects.filter(pk=theirs["delivery"]).exists()
        assert role_of(get_user_model().objects.get(pk=target)) == Role.MEMBER
        invitation.refresh_from_db()
        assert invitation.revoked_at is None and invitation.send_count == 1
