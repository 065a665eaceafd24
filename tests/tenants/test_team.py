"""The team: invitations (signed, single-use, 7 days), roles that hold, one owner at least, the
plan counting invitations, and nothing of one workspace's team usable on another's host."""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription
from tenants import errors
from tenants.directory import tenants_for_email
from tenants.roles import Role, role_of
from tenants.workspace.models import Invitation
from tests.queue import run_queued

NEW_PASSWORD = "a-fresh-invitee-password-3"


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """Invitation emails are queued on commit."""


def _invite(client, email="new@acme.test", role="member"):
    return client.post("/members/invite/", {"email": email, "role": role})


def _link(mailoutbox, host="acme.localhost") -> str:
    run_queued(only="invitation_email_send")
    body = mailoutbox[-1].body
    return re.search(rf"http://{re.escape(host)}(?::\d+)?(/invitations/[^/\s]+/)", body).group(1)


def _role(info, email) -> Role | None:
    with schema_context(info.schema):
        user = get_user_model().objects.filter(email=email).first()
        return role_of(user) if user else None


def test_an_invitee_joins_with_a_password_of_their_own(acme, mailoutbox):
    assert _invite(acme.client())["Location"] == "/members/"
    path = _link(mailoutbox)
    assert mailoutbox[-1].to == ["new@acme.test"]
    assert "Acme Inc" in mailoutbox[-1].subject

    invitee = acme.client(logged_in=False)
    page = invitee.get(path)
    assert page.status_code == 200 and "Join Acme Inc" in page.content.decode()
    joined = invitee.post(path, {"password": NEW_PASSWORD})

    assert joined["Location"] == "/"
    assert _role(acme, "new@acme.test") == Role.MEMBER
    assert invitee.get("/").status_code == 200  # signed in
    assert [t.subdomain for t in tenants_for_email(email="new@acme.test")] == ["acme"]
    again = acme.client(logged_in=False).get(path)
    assert again.status_code == 404
    assert html.escape(errors.INVITATION_INVALID) in again.content.decode()


def test_an_expired_invitation_is_refused(acme, mailoutbox):
    _invite(acme.client())
    path = _link(mailoutbox)
    with schema_context(acme.schema):
        Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    refused = acme.client(logged_in=False).post(path, {"password": NEW_PASSWORD})
    assert refused.status_code == 404
    assert _role(acme, "new@acme.test") is None


def test_a_resent_invitation_replaces_the_old_link_and_a_revoked_one_dies(acme, mailoutbox):
    client = acme.client()
    _invite(client)
    old = _link(mailoutbox)
    with schema_context(acme.schema):
        invitation = Invitation.objects.get()
    client.post(f"/members/invitations/{invitation.pk}/resend/")
    new = _link(mailoutbox)
    assert old != new
    assert acme.client(logged_in=False).get(old).status_code == 404
    assert acme.client(logged_in=False).get(new).status_code == 200

    client.post(f"/members/invitations/{invitation.pk}/revoke/")
    assert acme.client(logged_in=False).get(new).status_code == 404


def test_an_invitation_for_someone_already_here_just_adds_the_role(acme, mailoutbox):
    acme.add_member("dev@acme.test")
    _invite(acme.client(), email="dev@acme.test", role="admin")
    path = _link(mailoutbox)

    stranger = acme.client(logged_in=False).get(path).content.decode()
    assert "You already have an account here" in stranger
    with schema_context(acme.schema):
        dev = get_user_model().objects.get(email="dev@acme.test").pk
    accepted = acme.client_as(dev).post(path)
    assert accepted["Location"] == "/"
    assert _role(acme, "dev@acme.test") == Role.ADMIN
    with schema_context(acme.schema):
        assert get_user_model().objects.filter(email="dev@acme.test").count() == 1


def test_pending_invitations_count_against_the_plans_members(acme, mailoutbox):
    Subscription.objects.filter(tenant=acme.tenant).update(
        plan=Plan.objects.get(key="starter"), status=Subscription.Status.ACTIVE
    )
    client = acme.client()
    acme.add_member("one@acme.test")
    assert _invite(client, "two@acme.test").status_code == 302  # owner + one + invited = 3
    refused = _invite(client, "three@acme.test")
    assert refused.status_code == 400
    assert "Your Starter plan allows 3 members" in html.unescape(refused.content.decode())
    with schema_context(acme.schema):
        assert Invitation.objects.count() == 1


def test_a_member_cannot_invite_and_an_admin_cannot_make_owners(acme):
    member = acme.client_as(acme.add_member("m@acme.test"))
    admin = acme.client_as(acme.add_member("a@acme.test", role="admin"))

    refused = _invite(member)
    assert refused.status_code == 403
    assert html.escape(errors.TEAM_ADMINS_ONLY) in refused.content.decode()
    assert _invite(admin, "x@acme.test", "admin").status_code == 302
    owner_invite = _invite(admin, "y@acme.test", "owner")
    assert owner_invite.status_code == 400
    assert html.escape(errors.OWNERS_ONLY) in owner_invite.content.decode()


def test_an_admin_cannot_remove_or_demote_an_owner(acme):
    admin = acme.client_as(acme.add_member("a@acme.test", role="admin"))
    admin.post(f"/members/{acme.owner_id}/remove/")
    admin.post(f"/members/{acme.owner_id}/role/", {"role": "member"})
    assert _role(acme, acme.owner_email) == Role.OWNER


def test_the_last_owner_can_neither_leave_nor_be_demoted(acme):
    owner = acme.client()
    owner.post(f"/members/{acme.owner_id}/role/", {"role": "admin"})
    left = owner.post("/members/leave/", follow=True)
    assert _role(acme, acme.owner_email) == Role.OWNER
    assert html.escape(errors.LAST_OWNER) in left.content.decode()


def test_ownership_moves_and_the_old_owner_becomes_an_admin(acme):
    new_owner = acme.add_member("next@acme.test")
    acme.client().post(f"/members/{new_owner}/transfer/")
    assert _role(acme, "next@acme.test") == Role.OWNER
    assert _role(acme, acme.owner_email) == Role.ADMIN
    with schema_context(acme.schema):
        user = get_user_model().objects.get(email="next@acme.test")
        assert user.is_superuser and user.is_staff  # the workspace's own admin site is theirs


def test_a_member_can_leave(acme):
    member_id = acme.add_member("leaver@acme.test")
    client = acme.client_as(member_id)
    assert client.post("/members/leave/")["Location"] == "/login/"
    assert _role(acme, "leaver@acme.test") is None
    assert tenants_for_email(email="leaver@acme.test") == []


def test_an_invitation_of_one_workspace_is_nothing_on_another(acme, globex, mailoutbox):
    _invite(acme.client())
    path = _link(mailoutbox)
    on_globex = globex.client(logged_in=False)
    assert on_globex.get(path).status_code == 404
    assert on_globex.post(path, {"password": NEW_PASSWORD}).status_code == 404
    with schema_context(globex.schema):
        assert not get_user_model().objects.filter(email="new@acme.test").exists()


@pytest.mark.parametrize("role", ["member", "admin"])
def test_team_page_shows_the_permission_table(acme, role):
    client = acme.client_as(acme.add_member(f"{role}@acme.test", role=role))
    body = client.get("/members/").content.decode()
    assert "Who can do what" in body and "Create and revoke API keys" in body
    assert ("Send invitation" in body) == (role == "admin")
