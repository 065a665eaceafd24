"""A tenant's life end to end, through a real gunicorn and a real Celery worker: an operator
signs in to the console (password, then a TOTP code), suspends a tenant (blocked on its pages,
its API and its tasks), reactivates it, exports it and downloads the zip, schedules its deletion
and cancels it, schedules it again and lets the worker purge it (no schema, no rows), then
restores the final export into a new tenant holding the same data."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
import requests
from django.contrib.auth import get_user_model
from django.db import connection
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tenants.utils import schema_context

from billing.models import Subscription
from core_app.tasks import project_export_build
from tenants.models import AuditEntry, Domain, Tenant, TenantExport
from tenants.selectors import schema_exists
from tenants.services import tenant_signup
from tenants.tasks import tenants_purge_due
from tests.conftest import PASSWORD
from tests.e2e.conftest import wait_until
from tests.factories import ProjectFactory, TaskFactory
from tests.tenants.test_archive import snapshot

pytestmark = pytest.mark.e2e


class Browserish:
    """requests, with a Host header per site and Django's CSRF token sent back."""

    def __init__(self, base: str, host: str) -> None:
        self.base, self.host = base, host
        self.session = requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.session.get(self.base + path, headers={"Host": self.host}, timeout=30, **kwargs)

    def post(self, path: str, data: dict | None = None, **kwargs) -> requests.Response:
        token = self.session.cookies.get("awan_csrf")
        if token is None:
            self.get("/console/login/" if "console" in path else "/login/")
            token = self.session.cookies.get("awan_csrf")
        return self.session.post(
            self.base + path,
            data={**(data or {}), "csrfmiddlewaretoken": token},
            headers={"Host": self.host},
            allow_redirects=False,
            timeout=60,
            **kwargs,
        )


def _code(device: TOTPDevice) -> str:
    device.refresh_from_db()
    return (
        f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"
    )


@pytest.fixture
def operator(live_db):
    user = get_user_model().objects.create_user("e2e-ops", "ops@e2e.test", PASSWORD, is_staff=True)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    yield user, device
    from tenants.operators import operator_delete

    operator_delete(user=user)


def test_a_tenants_life_through_the_console_gunicorn_and_the_worker(
    live_server_url, celery_worker, operator
):
    port = live_server_url.rsplit(":", 1)[1]
    base = f"http://127.0.0.1:{port}"
    _user, device = operator
    tenant = tenant_signup(
        name="Lifecycle Co", subdomain="life-e2e", owner_email="o@life.test", password=PASSWORD
    ).tenant
    with schema_context(tenant.schema_name):
        project = ProjectFactory(name="Keep me")
        TaskFactory.create_batch(4, project=project)
    owner = Browserish(base, f"life-e2e.localhost:{port}")
    assert (
        owner.post("/login/", {"username": "o@life.test", "password": PASSWORD}).status_code == 302
    )

    # Sign in: password, then the code from the authenticator.
    ops = Browserish(base, f"localhost:{port}")
    step = ops.post("/console/login/", {"username": "e2e-ops", "password": PASSWORD})
    assert step.status_code == 302 and "/console/verify/" in step.headers["Location"]
    assert ops.post("/console/verify/", {"code": _code(device)}).status_code == 302
    assert ops.get("/console/").status_code == 200
    # The same operator session means nothing on a tenant's host.
    assert Browserish(base, f"life-e2e.localhost:{port}").get("/console/").status_code == 404

    # Suspend: pages, API and tasks stop; reactivate: back.
    assert (
        ops.post("/console/tenants/life-e2e/suspend/", {"reason": "Card declined"}).status_code
        == 302
    )
    page = owner.get("/")
    assert page.status_code == 403 and "Card declined" in page.text
    assert owner.get("/api/v1/projects/").json()["error"] == "workspace_suspended"
    project_export_build.delay(schema_name=tenant.schema_name, export_id=1)
    celery_worker.wait_for_line(
        r"skipping task core_app\.tasks\.project_export_build: tenant t_life_e2e is suspended"
    )
    assert ops.post("/console/tenants/life-e2e/reactivate/", {"reason": "paid"}).status_code == 302
    assert owner.get("/").status_code == 200

    # Export in the worker, progress on the page, then the download.
    assert ops.post("/console/tenants/life-e2e/export/", {"reason": "backup"}).status_code == 302
    wait_until(
        lambda: TenantExport.objects.filter(tenant=tenant, status="ready").exists(),
        timeout=60,
        what="the worker to build the export",
    )
    export = TenantExport.objects.get(tenant=tenant, is_final=False)
    assert f"/console/exports/{export.pk}/download/" in ops.get("/console/tenants/life-e2e/").text
    download = ops.get(f"/console/exports/{export.pk}/download/")
    assert download.status_code == 200 and download.headers["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(download.content))
    assert json.loads(archive.read("manifest.json"))["tables"]["core_app_task"]["rows"] == 4
    assert len(download.content) == export.size

    # Delete, then cancel within the grace period.
    ops.post("/console/tenants/life-e2e/delete/", {"reason": "Asked to leave", "grace_days": "30"})
    assert Tenant.objects.get(pk=tenant.pk).status == "pending_deletion"
    read_only = owner.get("/")
    assert read_only.status_code == 200 and "deleted on" in read_only.text
    ops.post("/console/tenants/life-e2e/delete_cancel/", {"reason": "changed their mind"})
    assert Tenant.objects.get(pk=tenant.pk).status == "active"

    # Delete for real: grace 0, the final export, the sweep, the purge.
    before = snapshot(tenant.schema_name)
    ops.post("/console/tenants/life-e2e/delete/", {"reason": "Closed account", "grace_days": "0"})
    wait_until(
        lambda: (
            TenantExport.objects.filter(tenant=tenant, is_final=True, status="ready").count() == 2
        ),  # the cancelled request's final export, and this one's
        timeout=60,
        what="the final export",
    )
    tenants_purge_due.delay()
    wait_until(
        lambda: not Tenant.objects.filter(pk=tenant.pk).exists(),
        timeout=60,
        what="the worker to purge the tenant",
    )
    assert not schema_exists(schema_name="t_life_e2e")
    assert not Domain.objects.filter(tenant_id=tenant.pk).exists()
    assert not Subscription.objects.filter(tenant_id=tenant.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 't_life_e2e'")
        assert cursor.fetchone()[0] == 0
    assert owner.get("/").status_code == 404
    assert AuditEntry.objects.filter(tenant_id=tenant.pk).first().action == "purge"  # newest first
    final = TenantExport.objects.get(tenant_subdomain="life-e2e", tenant__isnull=True)

    # Restore the final export into a new tenant: the same rows, the owner signs in.
    restore = ops.post(f"/console/exports/{final.pk}/restore/", {"subdomain": "life-back"})
    assert restore.status_code == 302
    status_url = restore.headers["Location"]
    wait_until(
        lambda: ops.get(status_url, allow_redirects=False).status_code == 302,
        timeout=60,
        what="the worker to restore",
    )
    copy = Tenant.objects.get(subdomain="life-back")
    assert snapshot(copy.schema_name) == before
    back = Browserish(base, f"life-back.localhost:{port}")
    assert (
        back.post("/login/", {"username": "o@life.test", "password": PASSWORD}).status_code == 302
    )
    assert "Keep me" in back.get("/").text
    restored = AuditEntry.objects.get(tenant_id=copy.pk, action="restore")
    assert (
        restored.actor == "operator:e2e-ops" and restored.detail["source_subdomain"] == "life-e2e"
    )
    assert "Restored from an export" in ops.get("/console/tenants/life-back/").text
