""" "Export all my data": the worker writes every table of the tenant's schema into one zip
(JSON per table, exactly the rows, and formula-safe CSV), secrets left out; only the tenant's
owners and admins download it, only for a day, and never from another tenant's host."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from tenants.workspace.apikeys import apikey_create
from tenants.workspace.models import DataExport
from tests.factories import ProjectFactory, TaskFactory
from tests.queue import run_queued


@pytest.fixture(autouse=True)
def _commit_callbacks(run_on_commit):
    """The build is queued when the request commits."""


@pytest.fixture
def exported(acme):
    with schema_context(acme.schema):
        project = ProjectFactory(name="Roadmap", description="Q3")
        TaskFactory(project=project, title="=SUM(A1:A9)", notes="formula-looking title")
        TaskFactory(project=project, title="Ship", done=True)
        apikey_create(name="ci", scope="read", actor=acme.owner())
    client = acme.client()
    assert client.post("/settings/export/")["Location"] == "/settings/export/"
    run_queued(only="data_export_build")
    with schema_context(acme.schema):
        export = DataExport.objects.get()
    response = client.get(f"/settings/export/{export.pk}/download/")
    return export, response


def _archive(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(response.content))


def test_the_archive_holds_every_table_as_json_and_csv(exported):
    export, response = exported
    assert export.status == DataExport.Status.READY and export.progress == 100
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == f'attachment; filename="{export.filename}"'
    archive = _archive(response)
    names = set(archive.namelist())
    manifest = json.loads(archive.read("manifest.json"))
    for table in ("core_app_project", "core_app_task", "auth_user", "workspace_membership"):
        assert f"json/{table}.json" in names and f"csv/{table}.csv" in names
        assert table in manifest["tables"]
    projects = json.loads(archive.read("json/core_app_project.json"))
    assert [(p["name"], p["description"]) for p in projects] == [("Roadmap", "Q3")]
    tasks = json.loads(archive.read("json/core_app_task.json"))
    assert sorted(t["title"] for t in tasks) == ["=SUM(A1:A9)", "Ship"]  # JSON: exactly stored
    assert manifest["tables"]["core_app_task"]["rows"] == 2


def test_csv_cells_a_spreadsheet_would_run_are_neutralised(exported):
    _, response = exported
    rows = list(csv.reader(io.StringIO(_archive(response).read("csv/core_app_task.csv").decode())))
    titles = [row[rows[0].index("title")] for row in rows[1:]]
    assert "'=SUM(A1:A9)" in titles and "=SUM(A1:A9)" not in titles


def test_secrets_stay_out(exported, acme):
    _, response = exported
    archive = _archive(response)
    users = json.loads(archive.read("json/auth_user.json"))
    keys = json.loads(archive.read("json/workspace_apikey.json"))
    assert users and all("password" not in u for u in users)
    assert keys and all("key_hash" not in k for k in keys)
    everything = b"".join(archive.read(n) for n in archive.namelist())
    assert b"pbkdf2" not in everything and b"md5$" not in everything
    assert not any(n.endswith("django_session.json") for n in archive.namelist())


def test_the_download_expires(exported, acme):
    export, _ = exported
    with schema_context(acme.schema):
        DataExport.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert acme.client().get(f"/settings/export/{export.pk}/download/").status_code == 404


def test_only_owners_and_admins_can_export_or_download(exported, acme):
    export, _ = exported
    member = acme.client_as(acme.add_member("m@acme.test"))
    admin = acme.client_as(acme.add_member("a@acme.test", role="admin"))
    assert member.get(f"/settings/export/{export.pk}/download/").status_code == 403
    assert member.post("/settings/export/").status_code == 403
    assert admin.get(f"/settings/export/{export.pk}/download/").status_code == 200


def test_another_tenants_host_cannot_fetch_it(exported, globex):
    export, _ = exported
    assert globex.client().get(f"/settings/export/{export.pk}/download/").status_code == 404


def test_another_tenants_export_holds_only_its_own_rows(exported, globex):
    with schema_context(globex.schema):
        ProjectFactory(name="Globex only")
    globex.client().post("/settings/export/")
    run_queued(only="data_export_build")
    with schema_context(globex.schema):
        export = DataExport.objects.get()
    response = globex.client().get(f"/settings/export/{export.pk}/download/")
    projects = json.loads(_archive(response).read("json/core_app_project.json"))
    assert [p["name"] for p in projects] == ["Globex only"]


def test_asking_twice_while_building_gives_the_same_export(acme):
    client = acme.client()
    client.post("/settings/export/")
    client.post("/settings/export/")
    with schema_context(acme.schema):
        assert DataExport.objects.count() == 1
    page = client.get("/settings/export/").content.decode()
    assert "Export in progress" in page and 'http-equiv="refresh"' in page


def test_a_build_that_breaks_is_marked_failed_and_a_new_export_can_start(acme, monkeypatch):
    from tenants.workspace import exports

    rows, disk_full = exports._rows, [True]

    def broken(model):
        if disk_full:
            raise OSError("disk full")
        return rows(model)

    monkeypatch.setattr(exports, "_rows", broken)
    client = acme.client()
    client.post("/settings/export/")
    run_queued(only="data_export_build")
    with schema_context(acme.schema):
        failed = DataExport.objects.get()
    assert failed.status == DataExport.Status.FAILED and not failed.content
    page = client.get("/settings/export/").content.decode()
    assert "Failed" in page and exports.FAILED_STEP in page
    assert "Export in progress" not in page and 'http-equiv="refresh"' not in page

    disk_full.clear()  # the disk has room again
    client.post("/settings/export/")
    run_queued(only="data_export_build")
    with schema_context(acme.schema):
        newest = DataExport.objects.exclude(pk=failed.pk).get()
    assert newest.status == DataExport.Status.READY
    assert client.get(f"/settings/export/{newest.pk}/download/").status_code == 200
    assert client.get(f"/settings/export/{failed.pk}/download/").status_code == 404


def test_an_export_whose_worker_vanished_long_ago_is_replaced_by_a_new_one(acme):
    from tenants.workspace import exports

    with schema_context(acme.schema):
        lost = DataExport.objects.create(status=DataExport.Status.BUILDING, progress=40)
        DataExport.objects.filter(pk=lost.pk).update(
            created=timezone.now() - exports.STALE_AFTER - timedelta(minutes=1)
        )
        recent = DataExport.objects.create(status=DataExport.Status.BUILDING)
    client = acme.client()
    client.post("/settings/export/")
    with schema_context(acme.schema):
        assert DataExport.objects.count() == 2  # the recent one is still on its way: reused
        DataExport.objects.filter(pk=recent.pk).delete()
    client.post("/settings/export/")
    run_queued(only="data_export_build")
    with schema_context(acme.schema):
        lost.refresh_from_db()
        assert lost.status == DataExport.Status.FAILED and lost.step == exports.STALE_STEP
        assert DataExport.objects.filter(status=DataExport.Status.READY).count() == 1
