"""The warm pool: a signup claims a pre-built schema in its own transaction (no migration in the
request); with the pool empty the tenant is `provisioning`, a progress page shows, and the
worker's build moves it on."""

from __future__ import annotations

import html
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from tenants import errors
from tenants.fleet.pool import pool_claim, pool_ready_count, pool_refill
from tenants.models import LoginHandoff, PendingOwner, SchemaState, SpareSchema, Tenant
from tenants.provisioning import schema_drop
from tenants.selectors import schema_exists
from tenants.services import tenant_provision_complete, tenant_signup
from tests.conftest import PASSWORD

SIGNUP = {
    "organization_name": "Pooled Co",
    "subdomain": "pooled",
    "email": "owner@pooled.test",
    "password": PASSWORD,
}


def _empty_the_pool() -> None:
    for name in list(SpareSchema.objects.values_list("schema_name", flat=True)):
        SpareSchema.objects.filter(schema_name=name).delete()
        schema_drop(schema_name=name)


def test_a_signup_claims_a_spare_schema_and_runs_no_migration(public_client):
    spares_before = set(SpareSchema.objects.values_list("schema_name", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = public_client.post("/signup/", SIGNUP)

    assert response.status_code == 302
    tenant = Tenant.objects.get(subdomain="pooled")
    assert tenant.status == Tenant.Status.ACTIVE
    sql = " ".join(q["sql"] for q in queries).upper()
    assert "CREATE TABLE" not in sql and "CREATE SCHEMA" not in sql
    assert re.search(r'ALTER SCHEMA "T__POOL_[0-9A-F]+" RENAME TO "T_POOLED"', sql)
    spares_after = set(SpareSchema.objects.values_list("schema_name", flat=True))
    assert len(spares_before - spares_after) == 1 and not spares_after - spares_before
    with schema_context("t_pooled"):
        owner = get_user_model().objects.get()
        assert (owner.email, owner.is_superuser) == ("owner@pooled.test", True)
        assert owner.check_password(PASSWORD)
    assert SchemaState.objects.filter(schema_name="t_pooled").exists()


def test_a_rolled_back_signup_puts_its_spare_back(seeded_tenants, db):
    before = pool_ready_count()
    with pytest.raises(RuntimeError), transaction.atomic():
        assert pool_claim(schema_name="t_never")
        assert pool_ready_count() == before - 1
        raise RuntimeError("the signup failed after claiming")
    assert pool_ready_count() == before
    assert not schema_exists(schema_name="t_never")


def test_a_spare_left_at_an_older_migration_is_never_handed_out(seeded_tenants, db):
    SchemaState.objects.filter(
        schema_name__in=SpareSchema.objects.values_list("schema_name", flat=True)
    ).update(fingerprint="old")
    with transaction.atomic():
        assert pool_claim(schema_name="t_stale") is False


def test_with_the_pool_empty_the_request_only_records_the_tenant_and_queues_the_build(
    public_client, django_capture_on_commit_callbacks
):
    _empty_the_pool()
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as queries,
    ):
        response = public_client.post("/signup/", SIGNUP)

    tenant = Tenant.objects.get(subdomain="pooled")
    assert tenant.status == Tenant.Status.PROVISIONING
    assert not schema_exists(schema_name="t_pooled")
    sql = " ".join(q["sql"] for q in queries).upper()
    assert "CREATE TABLE" not in sql and "CREATE SCHEMA" not in sql
    assert PendingOwner.objects.get(tenant=tenant).password_hash != PASSWORD
    assert len(callbacks) == 2  # the build, and a pool refill

    handoff = response["Location"].split("localhost", 1)[1]
    client = public_client.__class__(HTTP_HOST="pooled.localhost")
    waiting = client.get(handoff)
    assert waiting.status_code == 503 and waiting["Retry-After"] == "1"
    body = waiting.content.decode()
    assert html.escape(errors.WORKSPACE_PROVISIONING) in body
    assert '<meta http-equiv="refresh" content="1">' in body
    assert client.get("/api/v1/projects/").json()["error"] == "workspace_provisioning"

    assert tenant_provision_complete(schema_name="t_pooled") is not None
    assert tenant_provision_complete(schema_name="t_pooled") is None  # a re-delivered task
    tenant.refresh_from_db()
    assert tenant.status == Tenant.Status.ACTIVE
    assert not PendingOwner.objects.filter(tenant=tenant).exists()
    landed = client.get(handoff)
    assert landed.status_code == 302 and landed["Location"] == "/"
    assert "owner@pooled.test" in client.get("/").content.decode()
    assert LoginHandoff.objects.get(tenant=tenant).used_at is not None


def test_concurrent_signups_each_claim_their_own_spare_without_waiting(live_db, settings):
    settings.TENANT_POOL_SIZE = 4
    pool_refill()
    names = ["race-a", "race-b", "race-c"]
    barrier = threading.Barrier(len(names))
    results: dict[str, str] = {}

    def sign_up(subdomain: str) -> None:
        try:
            barrier.wait()
            result = tenant_signup(
                name=subdomain, subdomain=subdomain, owner_email=f"o@{subdomain}.test",
                password=PASSWORD,
            )  # fmt: skip
            results[subdomain] = result.tenant.status
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results == dict.fromkeys(names, Tenant.Status.ACTIVE)
    connection.set_schema_to_public()
    for name in names:
        assert schema_exists(schema_name=f"t_{name.replace('-', '_')}")


def test_only_one_refill_runs_at_a_time(seeded_tenants, db):
    from config import kv
    from tenants.fleet.pool import REFILL_LOCK

    kv.client().set(REFILL_LOCK, "1", ex=60)
    try:
        _empty_the_pool()
        assert pool_refill(size=2) == 0
    finally:
        kv.client().delete(REFILL_LOCK)
    assert pool_refill(size=2) == 2
    assert pool_ready_count() == 2
