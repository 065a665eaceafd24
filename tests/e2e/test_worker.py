"""A real `celery worker` process runs tenant tasks inside the right schema."""

from __future__ import annotations

import pytest
from django.core import mail
from django.db import connection
from django_tenants.utils import schema_context

from core_app.models import Export
from core_app.tasks import project_export_build
from tenants.models import Tenant
from tests.e2e.conftest import wait_until
from tests.factories import ProjectFactory, TaskFactory

pytestmark = pytest.mark.e2e


def _export_status(schema: str, export_id: int) -> str | None:
    with schema_context(schema):
        row = Export.objects.filter(pk=export_id).values_list("status", flat=True).first()
    return row


def test_worker_writes_a_tenants_export_into_that_tenants_schema(seeded_tenants, celery_worker):
    acme, globex = seeded_tenants["acme"], seeded_tenants["globex"]
    with schema_context(acme.schema):
        project = ProjectFactory(name="worker-proof")
        TaskFactory.create_batch(3, project=project)
        export = Export.objects.create(project=project)
    with schema_context(globex.schema):
        # The same id in another schema must stay untouched.
        decoy_project = ProjectFactory(name="decoy")
        decoy = Export.objects.create(pk=export.pk, project=decoy_project)

    project_export_build.delay(schema_name=acme.schema, export_id=export.pk)

    wait_until(
        lambda: _export_status(acme.schema, export.pk) == "done",
        timeout=30,
        what="the worker to finish the export",
    )
    with schema_context(acme.schema):
        done = Export.objects.get(pk=export.pk)
        assert done.row_count == 3
        assert done.content.count("\n") == 4
    assert _export_status(globex.schema, decoy.pk) == "pending"
    # The row is written before Celery logs "succeeded": wait for the line instead of racing it.
    celery_worker.wait_for_line(rf"schema={acme.schema} .*succeeded")


def test_worker_skips_a_task_for_a_schema_that_has_no_tenant(seeded_tenants, celery_worker):
    project_export_build.delay(schema_name="t_no_such_tenant", export_id=1)

    wait_until(
        lambda: "no tenant with schema t_no_such_tenant" in celery_worker.output(),
        timeout=30,
        what="the worker to refuse the unknown schema",
    )


def test_signup_welcome_email_is_sent_once_by_the_worker(seeded_tenants, live_db, celery_worker):
    from tenants.services import tenant_signup
    from tenants.tasks import tenant_send_welcome_email

    result = tenant_signup(
        name="Welcome Co",
        subdomain="welcome-co",
        owner_email="boss@welcome.test",
        password="a-long-welcome-password",
    )
    # A duplicate delivery (as after a worker restart) must not send a second email.
    tenant_send_welcome_email.delay(schema_name=result.tenant.schema_name, user_id=result.owner_id)

    def welcomed() -> bool:
        connection.set_schema_to_public()
        return Tenant.objects.get(pk=result.tenant.pk).welcomed_at is not None

    wait_until(welcomed, timeout=30, what="the welcome email")
    wait_until(
        lambda: celery_worker.output().count("tenants.tasks.tenant_send_welcome_email") >= 4,
        timeout=30,
        what="both deliveries to be processed",
    )
    assert celery_worker.output().count("Subject: Welcome to Awan, Welcome Co") == 1
    assert mail.outbox == []  # sent by the worker process, not by this one
