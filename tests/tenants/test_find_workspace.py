""" "Log in" on the public site: enter an email, get a link to each workspace it belongs to.
The answer is the same for any email; the lookup reads a public index, never every schema."""

from __future__ import annotations

import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants import errors
from tenants.directory import tenants_for_email
from tenants.tasks import workspace_links_send


def _ask(public_client, email):
    return public_client.post("/login/", {"email": email})


def test_the_public_header_offers_a_way_back_in(public_client):
    page = public_client.get("/").content.decode()
    assert '<a href="/login/">Log in</a>' in page
    assert "Log in to your workspace" in public_client.get("/login/").content.decode()


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(acme, public_client):
    known = _ask(public_client, acme.owner_email)
    unknown = _ask(public_client, "nobody@nowhere.test")

    for response, email in ((known, acme.owner_email), (unknown, "nobody@nowhere.test")):
        assert response.status_code == 200
        assert html.escape(errors.WORKSPACE_LOOKUP_SENT.format(email=email)) in (
            response.content.decode()
        )
    strip = lambda r, e: r.content.decode().replace(e, "EMAIL")  # noqa: E731
    assert strip(known, acme.owner_email) == strip(unknown, "nobody@nowhere.test")


def test_the_email_lists_every_workspace_of_that_address_and_nothing_else(
    acme, globex, mailoutbox, settings
):
    settings.SITE_URL = "http://localhost:8123"
    acme.add_member("shared@person.test")
    globex.add_member("shared@person.test")

    assert workspace_links_send(email="Shared@Person.test") == 2

    (message,) = mailoutbox
    assert message.to == ["Shared@Person.test"]
    assert "http://acme.localhost:8123/login/" in message.body
    assert "http://globex.localhost:8123/login/" in message.body


def test_an_unknown_address_gets_no_email(seeded_tenants, db, mailoutbox):
    assert workspace_links_send(email="stranger@nowhere.test") == 0
    assert mailoutbox == []


def test_the_lookup_reads_the_index_with_one_query_however_many_tenants(acme, globex):
    with CaptureQueriesContext(connection) as queries:
        tenants_for_email(email=acme.owner_email)
    # One round trip (a search_path may ride in front of it, in the same message).
    assert len(queries) == 1, [q["sql"] for q in queries]
    assert "tenants_accountindex" in queries[0]["sql"]


def test_removing_a_member_removes_them_from_the_index(acme):
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.workspace.team import member_remove

    member_id = acme.add_member("leaving@acme.test")
    assert [t.subdomain for t in tenants_for_email(email="leaving@acme.test")] == ["acme"]
    with schema_context(acme.schema):
        owner = get_user_model().objects.get(pk=acme.owner_id)
        member_remove(member_id=member_id, actor=owner)
    assert tenants_for_email(email="leaving@acme.test") == []


def test_a_suspended_workspace_is_not_offered(acme):
    from tenants.lifecycle import tenant_suspend

    tenant_suspend(tenant=acme.tenant, reason="test", actor="test")
    assert tenants_for_email(email=acme.owner_email) == []


@pytest.mark.parametrize("scope", ["ip", "account"])
def test_lookups_are_rate_limited(acme, public_client, settings, scope):
    settings.AUTH_RATE_LIMITS = {
        "workspace_lookup_per_account": "2/h",
        "workspace_lookup_per_ip": "2/h",
    }
    emails = [acme.owner_email] * 3 if scope == "account" else [f"p{n}@x.test" for n in range(3)]
    statuses = [_ask(public_client, email).status_code for email in emails]
    assert statuses == [200, 200, 429]


def test_the_index_holds_no_email_addresses(acme):
    from tenants.models import AccountIndex

    digests = list(AccountIndex.objects.values_list("email_digest", flat=True))
    assert digests and all("@" not in d and len(d) == 64 for d in digests)


def test_the_index_can_be_rebuilt_from_the_tenants_users(acme, globex):
    """After a SECRET_KEY rotation the old hashes match nothing: the command re-derives them."""
    from django.core.management import call_command

    from tenants.models import AccountIndex

    AccountIndex.objects.all().delete()
    assert tenants_for_email(email=acme.owner_email) == []
    call_command("account_index_rebuild")
    assert [t.subdomain for t in tenants_for_email(email=acme.owner_email)] == ["acme"]
    assert [t.subdomain for t in tenants_for_email(email=globex.owner_email)] == ["globex"]


def test_a_workspace_pending_deletion_can_still_be_found(acme, run_on_commit):
    from tenants.lifecycle import tenant_delete_request

    tenant_delete_request(tenant=acme.tenant, reason="x", actor="operator:t")
    assert [t.subdomain for t in tenants_for_email(email=acme.owner_email)] == ["acme"]
