"""Every web process caches its routing table; a change made anywhere (here: plain SQL from
another process) is seen by the very next request on every process."""

from __future__ import annotations

import pytest
import requests
from django.db import connection

from tenants.models import Tenant
from tenants.services import tenant_signup
from tests.conftest import PASSWORD
from tests.e2e.conftest import BIN, free_port, http_ok, process_env, wait_until

pytestmark = pytest.mark.e2e
WORKERS = 3


def test_a_change_made_by_another_process_reaches_every_web_process_at_once(live_db, start_process):
    tenant = tenant_signup(
        name="Cached Co", subdomain="cached", owner_email="o@cached.test", password=PASSWORD
    ).tenant
    connection.set_schema_to_public()
    port = free_port()
    start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
        name=f"gunicorn-cache-{port}",
        env=process_env(PORT=str(port), WEB_CONCURRENCY=str(WORKERS)),
    )
    base, host = f"http://127.0.0.1:{port}", "cached.localhost"
    wait_until(lambda: http_ok(f"{base}/healthz"), timeout=30, what="gunicorn")

    # Warm every worker's table: the login page is served from the cache afterwards.
    for _ in range(3 * WORKERS):
        assert requests.get(f"{base}/login/", headers={"Host": host}, timeout=10).ok

    # Suspend it the way no service would: plain SQL, from this process.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE tenants_tenant SET status = 'suspended' WHERE id = %s", [tenant.pk])
    after = [
        requests.get(f"{base}/login/", headers={"Host": host}, timeout=10)
        for _ in range(4 * WORKERS)
    ]
    assert {r.status_code for r in after} == {403}
    assert all("is suspended" in r.text for r in after)

    Tenant.objects.filter(pk=tenant.pk).update(status="active")
    again = [requests.get(f"{base}/login/", headers={"Host": host}, timeout=10) for _ in range(12)]
    assert {r.status_code for r in again} == {200}
