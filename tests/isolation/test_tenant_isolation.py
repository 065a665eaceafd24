"""A second tenant can never see or change the first's data, whatever ids or URLs it tries."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django_tenants.utils import schema_context

from core_app.models import Export, Project, Task
from core_app.services import export_build
from tests.conftest import PASSWORD
from tests.factories import ProjectFactory, TaskFactory


@pytest.fixture
def acme_project(acme):
    with schema_context(acme.schema):
        project = ProjectFactory(name="Acme secret plan")
        task = TaskFactory(project=project, title="Acme secret task")
        export = export_build(export=Export.objects.create(project=project))
    return project, task, export


def test_second_tenant_cannot_list_first_tenants_projects(acme_project, globex):
    page = globex.client().get("/")
    assert "Acme secret plan" not in page.content.decode()
    assert list(page.context["projects"]) == []


@pytest.mark.parametrize(
    "path",
    [
        "/projects/{p}/",
        "/projects/{p}/edit/",
        "/projects/{p}/tasks/{t}/edit/",
        "/projects/{p}/exports/{x}.csv",
    ],
)
def test_second_tenant_cannot_read_first_tenants_rows_by_id(acme_project, globex, path):
    project, task, export = acme_project
    response = globex.client().get(path.format(p=project.pk, t=task.pk, x=export.pk))
    assert response.status_code == 404
    assert "Acme secret" not in response.content.decode()


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/projects/{p}/edit/", {"name": "pwned"}),
        ("/projects/{p}/delete/", {}),
        ("/projects/{p}/tasks/", {"title": "pwned"}),
        ("/projects/{p}/tasks/{t}/edit/", {"title": "pwned"}),
        ("/projects/{p}/tasks/{t}/toggle/", {}),
        ("/projects/{p}/tasks/{t}/delete/", {}),
        ("/projects/{p}/exports/", {}),
    ],
)
def test_second_tenant_cannot_change_first_tenants_rows_by_id(
    acme, acme_project, globex, path, data
):
    project, task, _ = acme_project

    response = globex.client().post(path.format(p=project.pk, t=task.pk), data)

    assert response.status_code == 404
    with schema_context(acme.schema):
        assert Project.objects.get(pk=project.pk).name == "Acme secret plan"
        task_now = Task.objects.get(pk=task.pk)
        assert (task_now.title, task_now.done) == ("Acme secret task", False)
        assert Task.objects.count() == 1
        assert Export.objects.count() == 1


def test_same_id_resolves_to_each_tenants_own_row(acme, globex):
    with schema_context(acme.schema):
        ours = ProjectFactory(pk=4242, name="Acme's")
    with schema_context(globex.schema):
        theirs = ProjectFactory(pk=4242, name="Globex's")

    assert "Globex&#x27;s" in globex.client().get(f"/projects/{theirs.pk}/").content.decode()
    assert "Acme&#x27;s" in acme.client().get(f"/projects/{ours.pk}/").content.decode()


def test_user_of_one_tenant_cannot_log_in_on_another(acme, globex):
    response = globex.client(logged_in=False).post(
        "/login/", {"username": acme.owner_email, "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "match an account in this workspace" in response.content.decode()
    assert "_auth_user_id" not in response.client.session


def test_user_logs_in_on_own_tenant_by_email(acme):
    response = acme.client(logged_in=False).post(
        "/login/", {"username": acme.owner_email.upper(), "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_session_cookie_of_one_tenant_is_meaningless_on_another(acme, globex):
    acme_client = acme.client()
    cookie = acme_client.cookies["awan_session"].value
    globex_client = globex.client(logged_in=False)
    globex_client.cookies["awan_session"] = cookie

    assert globex_client.get("/")["Location"].startswith("/login/")


def test_tenant_admin_does_not_expose_the_public_tenancy_tables(acme, globex):
    page = acme.client().get("/admin/")
    assert page.status_code == 200
    assert "Tenants" not in page.content.decode()
    assert acme.client().get("/admin/tenants/tenant/").status_code == 404


def test_tenant_users_are_invisible_to_other_tenants(acme, globex):
    with schema_context(globex.schema):
        emails = set(get_user_model().objects.values_list("email", flat=True))
    assert emails == {globex.owner_email}
