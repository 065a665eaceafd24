"""The console's tenants list (search, filters, sort, pages, a constant number of queries) and
a tenant's page (owner, members, billing and channel history, audit trail, exports), with its
lifecycle actions going through the audited services."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from billing.models import Plan, Subscription
from tenants.channels import channel_set
from tenants.lifecycle import tenant_suspend
from tenants.models import AuditEntry, Tenant, TenantActivity


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """Exports are queued when the request commits."""


def _listed(client, **params) -> list[str]:
    response = client.get("/console/tenants/", params)
    assert response.status_code == 200, response.content.decode()[:500]
    return [t.subdomain for t in response.context["page"]]


def test_search_by_name_subdomain_or_an_email_of_someone_in_it(operator_client, acme, globex):
    assert _listed(operator_client, q="Acme") == ["acme"]
    assert _listed(operator_client, q="glob") == ["globex"]
    assert _listed(operator_client, q=globex.owner_email) == ["globex"]
    assert _listed(operator_client, q="nobody@nowhere.test") == []


def test_filters(operator_client, acme, globex):
    tenant_suspend(tenant=globex.tenant, reason="x", actor="operator:t")
    assert _listed(operator_client, status="suspended") == ["globex"]
    Subscription.objects.filter(tenant=acme.tenant).update(
        status="past_due", plan=Plan.objects.get(key="starter")
    )
    assert _listed(operator_client, past_due="on") == ["acme"]
    assert _listed(operator_client, status="past_due") == ["acme"]
    assert _listed(operator_client, plan="starter") == ["acme"]
    channel_set(tenant=acme.tenant, channel="beta", actor="operator:t", reason="")
    assert _listed(operator_client, channel="beta") == ["acme"]
    Subscription.objects.filter(tenant=globex.tenant).update(
        trial_end=timezone.now() + timedelta(days=3)
    )
    assert _listed(operator_client, trial_ending="on") == ["globex"]
    TenantActivity.objects.create(tenant=acme.tenant, last_seen_at=timezone.now())
    TenantActivity.objects.create(
        tenant=globex.tenant, last_seen_at=timezone.now() - timedelta(days=45)
    )
    assert _listed(operator_client, activity="7d") == ["acme"]
    assert _listed(operator_client, activity="idle30") == ["globex"]
    assert "acme" not in _listed(operator_client, activity="never")


def test_bad_filter_values_are_a_400_not_a_crash(operator_client, acme):
    assert operator_client.get("/console/tenants/", {"status": "haunted"}).status_code == 400
    assert operator_client.get("/console/tenants/", {"sort": "password"}).status_code == 400
    assert operator_client.get("/console/tenants/", {"page": "999"}).status_code == 200


def test_sorting_and_pages(operator_client, acme, globex, monkeypatch):
    assert _listed(operator_client, sort="name")[:2] == ["acme", "globex"]
    assert _listed(operator_client, sort="-mrr", q="o")[0] in {"acme", "globex"}
    monkeypatch.setattr("tenants.console.views.PER_PAGE", 1)
    first = _listed(operator_client, sort="name", q="e")
    second = _listed(operator_client, sort="name", q="e", page=2)
    assert first == ["acme"] and second == ["globex"]


def test_the_list_costs_the_same_queries_for_more_tenants(operator_client, acme):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert operator_client.get("/console/tenants/").status_code == 200
        return len(captured.captured_queries)

    queries()  # the routing table is loaded once per change of tenants: warm it
    before = queries()
    for n in range(15):  # rows only: the list never looks into schemas
        tenant = Tenant.objects.create(
            name=f"Bulk {n}", subdomain=f"bulk-{n}", schema_name=f"t_bulk_{n}"
        )
        Subscription.objects.create(tenant=tenant, status="trialing")
        TenantActivity.objects.create(tenant=tenant, last_seen_at=timezone.now())
    queries()
    assert queries() == before


def test_the_tenant_page_shows_its_people_history_and_audit_only(operator_client, acme, globex):
    acme.add_member("helper@acme.test")
    tenant_suspend(tenant=acme.tenant, reason="Chargeback", actor="operator:ana")
    tenant_suspend(tenant=globex.tenant, reason="Globex only", actor="operator:ana")
    page = operator_client.get("/console/tenants/acme/")
    assert page.status_code == 200
    html = page.content.decode()
    assert acme.owner_email in html and globex.owner_email not in html
    assert page.context["t"].members == 2
    assert "Chargeback" in html and "Globex only" not in html
    assert 'id="billing-history"' in html and "trialing" in html


def test_public_and_unknown_tenants_have_no_page(operator_client):
    assert operator_client.get("/console/tenants/public/").status_code == 404
    assert operator_client.get("/console/tenants/nope/").status_code == 404
    response = operator_client.post("/console/tenants/public/suspend/", {"reason": "x"})
    assert response.status_code == 404
    assert Tenant.objects.get(schema_name="public").status == "active"


def test_actions_go_through_the_audited_services(operator_client, acme):
    refused = operator_client.post("/console/tenants/acme/suspend/", {"reason": ""}, follow=True)
    assert "Give a reason" in refused.content.decode()
    assert Tenant.objects.get(pk=acme.tenant.pk).status == "active"

    operator_client.post("/console/tenants/acme/suspend/", {"reason": "Card declined"})
    assert acme.client().get("/").status_code == 403
    operator_client.post("/console/tenants/acme/reactivate/", {"reason": "Paid"})
    operator_client.post("/console/tenants/acme/delete/", {"reason": "Asked", "grace_days": "10"})
    tenant = Tenant.objects.get(pk=acme.tenant.pk)
    assert tenant.status == "pending_deletion"
    assert timedelta(days=9) < tenant.deletion_due_at - timezone.now() <= timedelta(days=10)
    operator_client.post("/console/tenants/acme/delete_cancel/", {"reason": ""})
    assert Tenant.objects.get(pk=acme.tenant.pk).status == "active"
    entries = AuditEntry.objects.filter(tenant_id=acme.tenant.pk).order_by("id")
    assert [(e.action, e.actor) for e in entries if e.action != "export"] == [
        ("suspend", "operator:ops"),
        ("reactivate", "operator:ops"),
        ("deletion_request", "operator:ops"),
        ("deletion_cancel", "operator:ops"),
    ]
    assert operator_client.post("/console/tenants/acme/explode/", {}).status_code == 404
