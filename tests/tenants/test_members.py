from __future__ import annotations

import html

from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription
from tenants import errors
from tests.conftest import PASSWORD

MEMBER = {"email": "Dev@Acme.test", "password": "another-long-password"}


def _users(info) -> set[str]:
    with schema_context(info.schema):
        return set(get_user_model().objects.values_list("email", flat=True))


def test_owner_adds_a_member_who_can_then_log_in(acme):
    response = acme.client().post("/members/", MEMBER)

    assert response["Location"] == "/members/"
    assert _users(acme) == {acme.owner_email, "dev@acme.test"}
    login = acme.client(logged_in=False).post(
        "/login/", {"username": "dev@acme.test", "password": MEMBER["password"]}
    )
    assert login["Location"] == "/"


def test_member_added_to_one_tenant_does_not_exist_in_another(acme, globex):
    acme.client().post("/members/", MEMBER)
    assert "dev@acme.test" not in _users(globex)
    login = globex.client(logged_in=False).post(
        "/login/", {"username": "dev@acme.test", "password": MEMBER["password"]}
    )
    assert login.status_code == 400


def test_plan_member_limit_is_enforced_with_a_clear_message(acme):
    Subscription.objects.filter(tenant=acme.tenant).update(
        plan=Plan.objects.get(key="starter"), status=Subscription.Status.ACTIVE
    )
    client = acme.client()
    for n in range(2):
        assert (
            client.post("/members/", {"email": f"m{n}@acme.test", "password": PASSWORD}).status_code
            == 302
        )

    refused = client.post("/members/", {"email": "m9@acme.test", "password": PASSWORD})

    assert refused.status_code == 400
    assert "Your Starter plan allows 3 members." in html.unescape(refused.content.decode())
    assert len(_users(acme)) == 3


def test_weak_password_and_duplicate_member_are_refused(acme):
    client = acme.client()
    weak = client.post("/members/", {"email": "x@acme.test", "password": "short"})
    client.post("/members/", MEMBER)
    duplicate = client.post("/members/", MEMBER)

    assert weak.status_code == 400 and "too short" in weak.content.decode()
    assert duplicate.status_code == 400
    assert errors.MEMBER_EXISTS in html.unescape(duplicate.content.decode())


def test_only_the_owner_changes_the_team(acme):
    acme.client().post("/members/", MEMBER)
    with schema_context(acme.schema):
        member = get_user_model().objects.get(email="dev@acme.test")
        owner_id = acme.owner_id
    member_client = type(acme.client())(HTTP_HOST=acme.host)
    with schema_context(acme.schema):
        member_client.force_login(member)

    refused = member_client.post("/members/", {"email": "z@acme.test", "password": PASSWORD})
    member_client.post(f"/members/{owner_id}/remove/")

    assert errors.MEMBERS_OWNER_ONLY in html.unescape(refused.content.decode())
    assert _users(acme) == {acme.owner_email, "dev@acme.test"}


def test_owner_removes_a_member(acme):
    client = acme.client()
    client.post("/members/", MEMBER)
    with schema_context(acme.schema):
        member_id = get_user_model().objects.get(email="dev@acme.test").pk
    client.post(f"/members/{member_id}/remove/")
    assert _users(acme) == {acme.owner_email}
