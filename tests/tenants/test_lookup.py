"""The routing table in each process: one statement per request for tenancy, and never stale
after a change, however the change was made."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from billing.models import Subscription
from tenants.lookup import forget, tenant_for_hostname
from tenants.models import Domain, Tenant
from tests.factories import ProjectFactory


def test_a_routed_request_costs_one_statement_beyond_the_views_own(acme):
    from django_tenants.utils import schema_context

    with schema_context(acme.schema):
        ProjectFactory()
    client = acme.client()
    client.get("/api/v1/projects/")  # warm this process's routing table
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/v1/projects/").status_code == 200
    sql = [q["sql"] for q in queries]
    assert "tenants_routingversion" in sql[0]
    tenancy = [
        s
        for s in sql[1:]
        if s.lstrip().upper().startswith("SET ")
        or any(t in s for t in ("tenants_tenant", "tenants_domain", "billing_", "tenants_routing"))
    ]
    assert tenancy == [], sql  # everything after the version check is the view's own work
    assert 'FROM "django_session"' in sql[1]


def test_a_cold_table_loads_domain_tenant_and_billing_once(acme):
    forget()
    with CaptureQueriesContext(connection) as first:
        tenant = tenant_for_hostname(hostname="acme.localhost")
    with CaptureQueriesContext(connection) as second:
        again = tenant_for_hostname(hostname="acme.localhost")
    assert tenant.schema_name == again.schema_name == "t_acme"
    assert len(first) == 4 and len(second) == 1
    subscription, plan = again.billing_snapshot
    assert subscription.status == "trialing" and plan.key == "team"


def test_any_change_to_a_tenant_row_is_seen_by_the_next_lookup(acme):
    tenant_for_hostname(hostname="acme.localhost")
    Tenant.objects.filter(pk=acme.tenant.pk).update(name="Renamed Behind Its Back")
    assert tenant_for_hostname(hostname="acme.localhost").name == "Renamed Behind Its Back"


def test_a_new_domain_and_a_billing_change_are_seen_at_once(acme, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "acme.example"]
    assert tenant_for_hostname(hostname="acme.example") is None  # cached as unknown
    Domain.objects.create(domain="acme.example", tenant=acme.tenant, is_primary=False)
    assert tenant_for_hostname(hostname="acme.example").schema_name == "t_acme"

    Subscription.objects.filter(tenant=acme.tenant).update(status="past_due")
    subscription, _ = tenant_for_hostname(hostname="acme.localhost").billing_snapshot
    assert subscription.status == "past_due"


def test_raw_sql_outside_the_orm_moves_the_version_too(acme):
    tenant_for_hostname(hostname="acme.localhost")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE public.tenants_tenant SET status = 'suspended' WHERE schema_name = 't_acme'"
        )
    assert tenant_for_hostname(hostname="acme.localhost").status == "suspended"
