""" "Last activity": at most one database write per tenant per window, however many requests,
processes or tenants; only signed-in use counts; the tenant row (routing) isn't touched."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from config import kv
from tenants.activity import activity_forget, activity_touch
from tenants.models import RoutingVersion, TenantActivity


@pytest.fixture(autouse=True)
def _fresh_memory():
    activity_forget()
    yield
    activity_forget()


def _writes(context: CaptureQueriesContext) -> int:
    return sum("tenants_tenantactivity" in q["sql"] for q in context.captured_queries)


def test_fifty_requests_write_once(acme):
    client = acme.client()
    routing_before = RoutingVersion.objects.get().version
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            assert client.get("/").status_code == 200
    assert _writes(queries) == 1
    assert TenantActivity.objects.get(tenant=acme.tenant).last_seen_at is not None
    assert RoutingVersion.objects.get().version == routing_before  # routing caches stay warm


def test_another_process_in_the_same_window_does_not_write_again(acme):
    assert activity_touch(tenant=acme.tenant) is True
    activity_forget()  # as if another web process: no memory of it, Redis still knows
    assert activity_touch(tenant=acme.tenant) is False


def test_after_the_window_it_writes_again(acme, settings):
    settings.TENANT_ACTIVITY_WRITE_SECONDS = 1
    assert activity_touch(tenant=acme.tenant) is True
    first = TenantActivity.objects.get(tenant=acme.tenant).last_seen_at
    activity_forget()
    kv.client().delete(f"awan:activity:{acme.tenant.pk}")  # the key expired
    assert activity_touch(tenant=acme.tenant) is True
    assert TenantActivity.objects.get(tenant=acme.tenant).last_seen_at >= first


def test_each_tenant_has_its_own_window(acme, globex):
    assert activity_touch(tenant=acme.tenant) is True
    assert activity_touch(tenant=globex.tenant) is True
    assert TenantActivity.objects.filter(tenant__in=[acme.tenant, globex.tenant]).count() == 2


def test_anonymous_visits_and_the_public_site_do_not_count(acme, public_client):
    acme.client(logged_in=False).get("/login/")
    public_client.get("/")
    assert not TenantActivity.objects.exists()


def test_api_key_use_counts(acme):
    from tenants.workspace.apikeys import apikey_create

    with schema_context(acme.schema):
        _, secret = apikey_create(name="ci", scope="read", actor=acme.owner())
    client = acme.client(logged_in=False, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.get("/api/v1/projects/").status_code == 200
    seen = TenantActivity.objects.get(tenant=acme.tenant).last_seen_at
    assert timezone.now() - seen < timedelta(seconds=30)
