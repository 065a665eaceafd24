"""The fleet runner: one query finds the work, rings go beta first, one transaction per schema
(resumable, never half-done), a failing schema is isolated, and what it builds is exactly what
django-tenants' migrate_schemas builds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tenants.channels import channel_set
from tenants.fleet.plans import target_fingerprint
from tenants.fleet.runner import fleet_migrate, schema_migrate, schemas_needing_work
from tenants.models import SchemaState, SpareSchema, Tenant
from tenants.services import tenant_signup
from tests.conftest import PASSWORD
from tests.tenants.fleet_helpers import (
    ROOT,
    clear_plan_caches,
    env_for,
    has_probe,
    synthetic_migrations,
)


def _catalog(schema: str) -> dict[str, set]:
    """Everything structural in a schema, with the schema's own name taken out."""
    out: dict[str, set] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type, is_nullable, coalesce(column_default, ''),"
            " character_maximum_length, is_identity FROM information_schema.columns"
            " WHERE table_schema = %s",
            [schema],
        )
        out["columns"] = set(cursor.fetchall())
        cursor.execute(
            "SELECT indexname, replace(indexdef, %s, '') FROM pg_indexes WHERE schemaname = %s",
            [f"{schema}.", schema],
        )
        out["indexes"] = set(cursor.fetchall())
        cursor.execute(
            "SELECT replace(conrelid::regclass::text, %s, ''), conname,"
            " replace(pg_get_constraintdef(oid), %s, '') FROM pg_constraint"
            " WHERE connamespace = %s::regnamespace",
            [f"{schema}.", f"{schema}.", schema],
        )
        out["constraints"] = set(cursor.fetchall())
        cursor.execute(f'SELECT app, name FROM "{schema}".django_migrations')
        out["migrations"] = set(cursor.fetchall())
        cursor.execute(f'SELECT app_label, model FROM "{schema}".django_content_type')
        out["content_types"] = set(cursor.fetchall())
        cursor.execute(
            f'SELECT ct.app_label, ct.model, p.codename, p.name FROM "{schema}".auth_permission p'
            f' JOIN "{schema}".django_content_type ct ON ct.id = p.content_type_id'
        )
        out["permissions"] = set(cursor.fetchall())
    return out


def test_a_schema_built_by_the_runner_is_exactly_what_migrate_schemas_builds(seeded_tenants, db):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t__by_runner"')
        cursor.execute('CREATE SCHEMA "t__by_django"')
    assert schema_migrate("t__by_runner").status == "migrated"
    connection.set_schema_to_public()
    call_command("migrate_schemas", schema_name="t__by_django", interactive=False, verbosity=0)
    connection.set_schema_to_public()

    by_runner, by_django = _catalog("t__by_runner"), _catalog("t__by_django")
    for part in by_django:
        assert by_runner[part] == by_django[part], part
    assert len(by_runner["columns"]) > 50 and len(by_runner["permissions"]) > 50


def test_when_every_schema_is_current_finding_that_out_takes_one_query(seeded_tenants, db):
    assert schemas_needing_work() == []
    with CaptureQueriesContext(connection) as queries:
        report = fleet_migrate(jobs=0)
    assert report.results == []
    assert len(queries) == 1


def test_a_new_migration_reaches_every_schema_beta_ring_first(acme, globex, settings):
    channel_set(tenant=globex.tenant, channel="beta", actor="test")
    lines: list[str] = []
    with synthetic_migrations() as (module, path):
        import sys as _sys

        _sys.path.insert(0, str(path))
        settings.MIGRATION_MODULES = {"core_app": module}
        clear_plan_caches()
        try:
            work = schemas_needing_work()
            report = fleet_migrate(jobs=0, say=lines.append)
        finally:
            _sys.path.remove(str(path))
            settings.MIGRATION_MODULES = {}
            clear_plan_caches()

    rings = [ring for _, ring in work]
    assert rings == sorted(rings, key=("pool", "beta", "stable").index)
    assert ("t_globex", "beta") in work and ("t_acme", "stable") in work
    order = [r.schema for r in report.results]
    assert order.index("t_globex") < order.index("t_acme")
    assert report.failed == [] and report.count("migrated") == len(work)
    for schema in (
        "t_acme",
        "t_globex",
        *SpareSchema.objects.values_list("schema_name", flat=True),
    ):
        assert has_probe(schema) == (True, True), schema
    assert any(line.startswith("beta: 1/1 schemas (100%)") for line in lines), lines


def test_a_failing_schema_is_rolled_back_and_reported_while_the_rest_go_on(acme, globex, settings):
    with connection.cursor() as cursor:  # acme already has something the migration will create
        cursor.execute('CREATE TABLE "t_acme".core_app_fleetprobe (id int)')
    with synthetic_migrations() as (module, path):
        sys.path.insert(0, str(path))
        settings.MIGRATION_MODULES = {"core_app": module}
        clear_plan_caches()
        try:
            report = fleet_migrate(jobs=0)
            with pytest.raises(CommandError, match="1 schema"):
                call_command("fleet_migrate", "--jobs", "0", "--schema", "t_acme")
        finally:
            sys.path.remove(str(path))
            settings.MIGRATION_MODULES = {}
            clear_plan_caches()

    assert [r.schema for r in report.failed] == ["t_acme"]
    assert "already exists" in report.failed[0].error
    with connection.cursor() as cursor:  # nothing of the migration stuck in acme
        cursor.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 't_acme' "
            "AND table_name = 'core_app_project' AND column_name = 'probe_note'"
        )
        assert cursor.fetchone()[0] == 0
    assert has_probe("t_acme") == (True, False)
    assert has_probe("t_globex") == (True, True)
    assert "already exists" in SchemaState.objects.get(schema_name="t_acme").last_error


def test_a_schema_another_runner_is_migrating_is_skipped_not_waited_for(acme, settings):
    from django.db import connections

    other = connections.create_connection("default")
    try:
        other.ensure_connection()
        with other.connection.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", ["awan.fleet:t_acme"]
            )
            result = schema_migrate("t_acme")
            cursor.execute("ROLLBACK")
    finally:
        other.close()
    assert result.status == "busy"


def _run_fleet(env: dict[str, str], *schemas: str) -> subprocess.Popen:
    from tests.e2e.conftest import process_env

    args = [sys.executable, "manage.py", "fleet_migrate", "--jobs", "1"]
    for schema in schemas:
        args += ["--schema", schema]
    return subprocess.Popen(
        args,
        cwd=ROOT,
        env=process_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


@pytest.mark.e2e
def test_a_run_killed_mid_way_leaves_no_half_migrated_schema_and_a_rerun_finishes(live_db):
    schemas = []
    for n in range(6):
        result = tenant_signup(
            name=f"Fleet {n}", subdomain=f"fleet-{n}", owner_email=f"o@f{n}.test", password=PASSWORD
        )
        schemas.append(result.tenant.schema_name)
    connection.set_schema_to_public()
    slow = 'migrations.RunSQL("SELECT pg_sleep(0.7)", migrations.RunSQL.noop),'
    with synthetic_migrations(extra_operation=slow) as (module, path):
        env = env_for(module, path)
        first = _run_fleet(env, *schemas)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and sum(has_probe(s)[1] for s in schemas) < 2:
            time.sleep(0.1)
        os.killpg(first.pid, signal.SIGKILL)  # no goodbye: the crash a release phase can have
        first.wait()
        states = [has_probe(s) for s in schemas]
        assert all(table == recorded for table, recorded in states), states  # none half-done
        done = sum(recorded for _, recorded in states)
        assert 2 <= done < len(schemas), states

        second = _run_fleet(env, *schemas)
        output, _ = second.communicate(timeout=120)
    assert second.returncode == 0, output
    assert f"{len(schemas) - done} migrated" in output
    assert all(has_probe(s) == (True, True) for s in schemas)


def test_the_release_command_migrates_public_then_rings_then_bootstraps_and_fills_the_pool(
    seeded_tenants, db, settings
):
    from io import StringIO

    settings.TENANT_POOL_SIZE = SpareSchema.objects.count() + 1
    out = StringIO()
    call_command("release", "--jobs", "0", stdout=out)
    text = out.getvalue()
    assert "[release] public schema" in text
    assert "every tenant schema is up to date" in text
    assert "public site:" in text
    assert "[release] pool: 1 spare schema(s) built" in text
    assert Tenant.objects.filter(schema_name="public").exists()


def test_the_state_index_matches_the_code_for_every_schema_after_a_run(seeded_tenants, db):
    fleet_migrate(jobs=0)
    tenants = set(
        Tenant.objects.exclude(schema_name="public").values_list("schema_name", flat=True)
    )
    spares = set(SpareSchema.objects.values_list("schema_name", flat=True))
    states = dict(SchemaState.objects.values_list("schema_name", "fingerprint"))
    assert all(states.get(s) == target_fingerprint() for s in tenants | spares)


def test_a_release_can_leave_the_stable_ring_to_the_worker(acme, globex, settings):
    import json
    from io import StringIO

    from config import kv
    from tenants.tasks import fleet_migrate_ring

    channel_set(tenant=globex.tenant, channel="beta", actor="test")
    with synthetic_migrations() as (module, path):
        sys.path.insert(0, str(path))
        settings.MIGRATION_MODULES = {"core_app": module}
        settings.TENANT_POOL_SIZE = 0
        clear_plan_caches()
        try:
            kv.client().delete("celery")
            out = StringIO()
            call_command("release", "--jobs", "0", "--defer-stable", "--no-pool", stdout=out)
            queued = [json.loads(m)["headers"]["task"] for m in kv.client().lrange("celery", 0, -1)]
            assert has_probe("t_globex") == (True, True)  # beta: done in the release
            assert has_probe("t_acme") == (False, False)  # stable: waiting for the worker
            assert "tenants.tasks.fleet_migrate_ring" in queued
            assert "stable ring queued for the worker" in out.getvalue()
            # What the worker then runs (here in-process, on this test's connection):
            report = fleet_migrate(rings=["stable"], jobs=0)
        finally:
            sys.path.remove(str(path))
            settings.MIGRATION_MODULES = {}
            clear_plan_caches()
    assert report.count("migrated") == 1 and has_probe("t_acme") == (True, True)
    assert fleet_migrate_ring.name == "tenants.tasks.fleet_migrate_ring"
