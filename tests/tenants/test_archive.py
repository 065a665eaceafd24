"""Export a tenant's whole schema and restore it into a new tenant: the round trip gives back
every row of every table (export → delete → purge → restore → the same data), the archive
carries pg_dump SQL where a matching binary exists, and a restore that can't be done leaves
nothing behind."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from billing.models import Subscription
from tenants.archive import (
    ArchiveInvalid,
    RestoreRefused,
    export_file,
    pg_dump_candidates,
    tenant_models,
    tenant_restore,
)
from tenants.directory import tenants_for_email
from tenants.lifecycle import tenant_delete_request, tenant_export_request, tenant_purge
from tenants.models import AuditEntry, Tenant, TenantExport
from tenants.selectors import schema_exists
from tenants.services import SubdomainTaken, tenant_signup
from tenants.workspace.apikeys import apikey_create
from tenants.workspace.team import invitation_create
from tests.conftest import PASSWORD
from tests.factories import ProjectFactory, TaskFactory
from tests.queue import run_queued


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """Exports are queued when the request commits."""


@pytest.fixture
def original(seeded_tenants, db):
    """A tenant with something in every kind of table: projects and tasks, a second member
    with a group, an API key, a pending invitation, and an admin log entry."""
    from django.contrib.admin.models import ADDITION, LogEntry
    from django.contrib.auth.models import Group
    from django.contrib.contenttypes.models import ContentType

    from tenants.workspace.team import member_add

    tenant = tenant_signup(
        name="Original Co", subdomain="original", owner_email="o@original.test", password=PASSWORD
    ).tenant
    with schema_context(tenant.schema_name):
        owner = get_user_model().objects.get(email="o@original.test")
        for n in range(3):
            project = ProjectFactory(name=f"Project {n}", description="ünïcödé ✓")
            for m in range(4):
                TaskFactory(project=project, title=f"Task {n}.{m}", done=m % 2 == 0)
        member = member_add(email="m@original.test", password=PASSWORD, actor=owner)
        group = Group.objects.create(name="reviewers")
        member.groups.add(group)
        apikey_create(name="ci", scope="write", actor=owner)
        invitation_create(email="soon@original.test", role="member", actor=owner)
        LogEntry.objects.create(
            user=owner,
            content_type=ContentType.objects.get_for_model(group),
            object_id=str(group.pk),
            object_repr="reviewers",
            action_flag=ADDITION,
        )
    return tenant


def snapshot(schema_name: str) -> dict[str, list[tuple]]:
    """Every row of every tenant table, every column, in primary-key order."""
    tables = {}
    with schema_context(schema_name):
        for model in tenant_models():
            columns = ", ".join(
                connection.ops.quote_name(f.column) for f in model._meta.concrete_fields
            )
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {columns} FROM {model._meta.db_table} ORDER BY 1")
                tables[model._meta.db_table] = cursor.fetchall()
    return tables


def _build(tenant: Tenant, **kwargs) -> TenantExport:
    export = tenant_export_request(tenant=tenant, actor="operator:ana", **kwargs)
    run_queued(only="tenant_export_build")
    export.refresh_from_db()
    assert export.status == "ready", export.error
    return export


def test_round_trip_export_delete_restore_gives_back_the_same_data(original):
    before = snapshot(original.schema_name)
    assert sum(len(rows) for rows in before.values()) > 30
    assert before["core_app_task"] and before["auth_user_groups"] and before["django_admin_log"]

    tenant_delete_request(tenant=original, reason="Closed", actor="operator:ana", grace_days=0)
    run_queued(only="tenant_export_build")
    assert tenant_purge(tenant=original) == "purged"
    assert not schema_exists(schema_name=original.schema_name)
    final = TenantExport.objects.get(tenant_subdomain="original", is_final=True)

    with export_file(final) as path:
        result = tenant_restore(archive_path=path, subdomain="restored", actor="operator:bo")
    copy = result.tenant
    assert copy.subdomain == "restored" and copy.schema_name == "t_restored"
    assert copy.status == "active" and copy.name == "Original Co"
    assert snapshot(copy.schema_name) == before
    assert result.rows == sum(len(rows) for rows in before.values())

    # The people can sign in again, with the passwords they had, and find it by email.
    client = Client(HTTP_HOST=f"restored.{settings.BASE_DOMAIN}")
    response = client.post("/login/", {"username": "m@original.test", "password": PASSWORD})
    assert response.status_code == 302
    assert [t.subdomain for t in tenants_for_email(email="m@original.test")] == ["restored"]
    assert Subscription.objects.get(tenant=copy).status == "trialing"
    entry = AuditEntry.objects.get(tenant_id=copy.pk)
    assert (entry.action, entry.actor, entry.detail["source_subdomain"]) == (
        "restore",
        "operator:bo",
        "original",
    )
    # New rows get new ids after the restored ones (sequences were moved on).
    with schema_context(copy.schema_name):
        from core_app.models import Project

        assert Project.objects.create(name="After").pk > max(
            r[0] for r in before["core_app_project"]
        )


def test_the_archive_lists_its_tables_and_migrations_and_keeps_secrets(original):
    export = _build(original)
    with export_file(export) as path, zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        users = archive.read("data/auth_user.jsonl").decode().splitlines()
    assert manifest["format"] == "awan-tenant-archive/1"
    assert manifest["tenant"]["subdomain"] == "original"
    assert ["core_app", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["core_app_task"]["rows"] == 12
    # A backup, for operators only: password hashes are in it (users sign in after a restore).
    columns = json.loads(users[0])
    assert "password" in columns
    assert json.loads(users[1])[columns.index("password")].startswith("md5$")


@pytest.mark.skipif(not pg_dump_candidates(), reason="no pg_dump binary on this machine")
def test_the_archive_carries_pg_dump_sql_of_that_schema_only(acme):
    # The seeded tenants are committed, so pg_dump (its own session) sees their schema.
    export = _build(acme.tenant)
    assert export.has_pg_dump, export.pg_dump_note
    with export_file(export) as path, zipfile.ZipFile(path) as archive:
        sql = archive.read("schema.sql").decode()
    assert "CREATE TABLE t_acme.core_app_project" in sql
    assert "t_globex" not in sql and "CREATE TABLE public." not in sql


def test_a_pg_dump_that_cannot_run_falls_back_to_json_only(acme, settings, monkeypatch, tmp_path):
    fake = tmp_path / "pg_dump"
    fake.write_text("#!/bin/sh\necho 'pg_dump: error: server version mismatch' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setattr("tenants.archive.pg_dump_candidates", lambda: [str(fake)])
    export = _build(acme.tenant)
    assert not export.has_pg_dump and "server version mismatch" in export.pg_dump_note
    with export_file(export) as path, zipfile.ZipFile(path) as archive:
        assert "schema.sql.txt" in archive.namelist()
        assert json.loads(archive.read("manifest.json"))["pg_dump"] is None


def _tenants() -> set[str]:
    return set(Tenant.objects.values_list("subdomain", flat=True))


def _schemas() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%%'")
        return {row[0] for row in cursor.fetchall()}


def test_a_restore_that_cannot_be_done_leaves_nothing_behind(original, acme, tmp_path):
    export = _build(original)
    tenants, schemas = _tenants(), _schemas()
    with export_file(export) as path:
        good = Path(path).read_bytes()

    def archive_with(**changes) -> Path:
        source = zipfile.ZipFile(io.BytesIO(good))
        target = tmp_path / f"a{len(list(tmp_path.iterdir()))}.zip"
        with zipfile.ZipFile(target, "w") as out:
            for name in source.namelist():
                data = source.read(name)
                if name in changes:
                    data = changes[name](data)
                out.writestr(name, data)
        return target

    not_zip = tmp_path / "notes.txt"
    not_zip.write_text("hello")
    newer = archive_with(
        **{
            "manifest.json": lambda d: json.dumps(
                {
                    **json.loads(d),
                    "migrations": [*json.loads(d)["migrations"], ["core_app", "9999_future"]],
                }
            ).encode()
        }
    )
    short_row = archive_with(**{"data/core_app_task.jsonl": lambda d: d + b'[1, "short"]\n'})
    # The first task again: same id, so the database refuses it.
    duplicate = archive_with(
        **{"data/core_app_task.jsonl": lambda d: d + d.splitlines(keepends=True)[1]}
    )
    cases = [
        (not_zip, "fresh", ArchiveInvalid, "as a zip file"),
        (newer, "fresh", ArchiveInvalid, "newer version"),
        (short_row, "fresh", ArchiveInvalid, "expected"),
        (duplicate, "fresh", ArchiveInvalid, "the database refused a row"),
        (archive_with(), "acme", SubdomainTaken, ""),
        (archive_with(), "Bad_Name", RestoreRefused, "lowercase"),
    ]
    for path, subdomain, error, words in cases:
        with pytest.raises(error) as raised:
            tenant_restore(archive_path=path, subdomain=subdomain, actor="operator:ana")
        assert words in str(getattr(raised.value, "message", raised.value))
        assert _tenants() == tenants and _schemas() == schemas, path


def test_a_restore_never_touches_another_tenant(original, acme, globex):
    acme_before, globex_before = snapshot(acme.schema), snapshot(globex.schema)
    export = _build(original)
    with export_file(export) as path:
        tenant_restore(archive_path=path, subdomain="copy", actor="operator:ana")
    assert snapshot(acme.schema) == acme_before and snapshot(globex.schema) == globex_before


def test_tenant_export_and_restore_commands(original, tmp_path, capsys):
    from django.core.management import call_command

    call_command("tenant_export", "original", "--inline", "--output", str(tmp_path))
    out = capsys.readouterr().out
    saved = next(tmp_path.glob("original-*.zip"))
    assert str(saved) in out and "/console/exports/" in out
    call_command("tenant_restore", str(saved), "from-cli")
    assert "Restored" in capsys.readouterr().out
    assert snapshot("t_from_cli") == snapshot(original.schema_name)
    actions = AuditEntry.objects.filter(tenant_id=original.pk).values_list("action", flat=True)
    assert {"export", "export_download"} <= set(actions)
