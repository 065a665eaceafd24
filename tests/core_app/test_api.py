"""The REST API: API keys (scopes, expiry, revocation, one tenant's key useless on another's
host), CRUD with pagination, filters, ordering, ETags, structured errors, and the same plan
limits and read-only mode as the pages."""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription
from core_app.models import Project, Task
from tenants.workspace.apikeys import apikey_create
from tenants.workspace.models import ApiKey, ApiUsageDay
from tests.factories import ProjectFactory, TaskFactory


def _key(info, scope="write", **kwargs) -> str:
    with schema_context(info.schema):
        return apikey_create(name="test", scope=scope, actor=info.owner(), **kwargs)[1]


def _api(info, key: str | None) -> Client:
    headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}
    return Client(HTTP_HOST=info.host, **headers)


def _json(client, method, path, data=None, **extra):
    body = json.dumps(data) if data is not None else None
    return getattr(client, method)(path, body, content_type="application/json", **extra)


# --- authentication -------------------------------------------------------------------------


def test_without_a_key_the_api_answers_401_with_a_challenge(acme):
    response = _api(acme, None).get("/api/v1/projects/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["error"] == "not_authenticated"


@pytest.mark.parametrize("bad", ["awan_nope_nope", "not-even-a-key", "awan_"])
def test_a_wrong_key_is_401(acme, bad):
    assert _api(acme, bad).get("/api/v1/projects/").status_code == 401


def test_a_key_of_one_tenant_is_refused_on_anothers_host(acme, globex):
    key = _key(acme)
    with schema_context(globex.schema):
        ProjectFactory(name="Globex secret")
    response = _api(globex, key).get("/api/v1/projects/")
    assert response.status_code == 401
    assert "Globex secret" not in response.content.decode()


def test_a_revoked_or_expired_key_stops_working(acme):
    revoked = _key(acme)
    expired = _key(acme, expires_in_days=1)
    with schema_context(acme.schema):
        ApiKey.objects.filter(name="test", expires_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        ApiKey.objects.filter(expires_at__isnull=False).update(
            expires_at=timezone.now() - timedelta(seconds=1)
        )
    assert _api(acme, revoked).get("/api/v1/projects/").status_code == 401
    assert _api(acme, expired).get("/api/v1/projects/").status_code == 401


def test_only_a_hash_of_the_key_is_stored_and_last_use_is_recorded(acme):
    key = _key(acme)
    _api(acme, key).get("/api/v1/projects/")
    with schema_context(acme.schema):
        stored = ApiKey.objects.get()
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(f"awan_{stored.prefix}_")
    assert stored.last_used_at is not None


def test_a_read_key_reads_but_cannot_write(acme):
    key = _key(acme, scope="read")
    assert _api(acme, key).get("/api/v1/projects/").status_code == 200
    refused = _json(_api(acme, key), "post", "/api/v1/projects/", {"name": "Nope"})
    assert refused.status_code == 403
    assert "can only read" in refused.json()["detail"]


def test_a_member_removed_from_the_workspace_takes_their_keys_with_them(acme):
    member = acme.add_member("dev@acme.test", role="admin")
    with schema_context(acme.schema):
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.get(pk=member)
        key = apikey_create(name="dev", scope="read", actor=user)[1]
        user.delete()
    assert _api(acme, key).get("/api/v1/projects/").status_code == 401


def test_create_api_key_command_prints_a_working_key(acme):
    out = StringIO()
    call_command("create_api_key", "acme", acme.owner_email, "--scope", "write", stdout=out)
    key = out.getvalue().strip()
    assert key.startswith("awan_")
    assert _api(acme, key).get("/api/v1/projects/").status_code == 200


def test_create_api_key_refuses_an_unknown_workspace_or_person(acme):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No workspace"):
        call_command("create_api_key", "nosuch", acme.owner_email)
    with pytest.raises(CommandError, match="not a member"):
        call_command("create_api_key", "acme", "stranger@acme.test")


# --- CRUD -----------------------------------------------------------------------------------


def test_projects_crud_through_the_api(acme):
    api = _api(acme, _key(acme))
    created = _json(api, "post", "/api/v1/projects/", {"name": "API project", "description": "d"})
    assert created.status_code == 201, created.content
    project_id = created.json()["id"]
    assert created["ETag"]
    assert api.get(f"/api/v1/projects/{project_id}/").json()["name"] == "API project"
    changed = _json(api, "patch", f"/api/v1/projects/{project_id}/", {"name": "Renamed"})
    assert changed.status_code == 200 and changed.json()["name"] == "Renamed"
    assert api.delete(f"/api/v1/projects/{project_id}/").status_code == 204
    with schema_context(acme.schema):
        assert not Project.objects.filter(pk=project_id).exists()


def test_tasks_are_created_completed_and_filtered(acme):
    with schema_context(acme.schema):
        project = ProjectFactory()
        other = ProjectFactory()
        TaskFactory(project=other, title="elsewhere")
    api = _api(acme, _key(acme))
    made = _json(api, "post", "/api/v1/tasks/", {"project": project.pk, "title": "Write docs"})
    assert made.status_code == 201, made.content
    task_id = made.json()["id"]
    done = _json(api, "patch", f"/api/v1/tasks/{task_id}/", {"done": True})
    assert done.json()["done"] is True and done.json()["completed_at"]
    listed = api.get(f"/api/v1/tasks/?project={project.pk}&done=true").json()
    assert [t["title"] for t in listed["results"]] == ["Write docs"]
    moved = _json(api, "patch", f"/api/v1/tasks/{task_id}/", {"project": other.pk})
    assert moved.json()["project"] == project.pk  # a task stays in its project


def test_pagination_search_and_ordering(acme):
    with schema_context(acme.schema):
        for n in range(25):
            ProjectFactory(name=f"P{n:02d}")
        ProjectFactory(name="Zebra special")
    api = _api(acme, _key(acme, scope="read"))
    first = api.get("/api/v1/projects/?ordering=name").json()
    assert first["count"] == 26 and len(first["results"]) == 20 and first["next"]
    assert first["results"][0]["name"] == "P00"
    second = api.get("/api/v1/projects/?ordering=name&page=2").json()
    assert [p["name"] for p in second["results"]][-1] == "Zebra special"
    big = api.get("/api/v1/projects/?page_size=1000").json()
    assert len(big["results"]) == 26  # page_size is capped at 100
    found = api.get("/api/v1/projects/?search=zebra").json()
    assert [p["name"] for p in found["results"]] == ["Zebra special"]


def test_validation_errors_are_structured(acme):
    api = _api(acme, _key(acme))
    response = _json(api, "post", "/api/v1/projects/", {"name": "", "description": "x"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "validation_error" and "name" in body["fields"]
    too_long = _json(api, "post", "/api/v1/projects/", {"name": "n" * 121})
    assert "no more than 120 characters" in too_long.json()["fields"]["name"][0]
    not_json = api.post("/api/v1/projects/", "{nope", content_type="application/json")
    assert not_json.status_code == 400 and not_json.json()["error"] == "validation_error"


def test_if_match_with_a_stale_etag_is_refused_and_changes_nothing(acme):
    api = _api(acme, _key(acme))
    project_id = _json(api, "post", "/api/v1/projects/", {"name": "Original"}).json()["id"]
    etag = api.get(f"/api/v1/projects/{project_id}/")["ETag"]
    ok = _json(api, "patch", f"/api/v1/projects/{project_id}/", {"name": "First"},
               HTTP_IF_MATCH=etag)  # fmt: skip
    assert ok.status_code == 200
    stale = _json(api, "patch", f"/api/v1/projects/{project_id}/", {"name": "Second"},
                  HTTP_IF_MATCH=etag)  # fmt: skip
    assert stale.status_code == 412 and stale.json()["error"] == "precondition_failed"
    assert api.get(f"/api/v1/projects/{project_id}/").json()["name"] == "First"


def test_the_plan_limit_holds_in_the_api_too(acme):
    Subscription.objects.filter(tenant=acme.tenant).update(
        plan=Plan.objects.get(key="starter"), status=Subscription.Status.ACTIVE
    )
    api = _api(acme, _key(acme))
    statuses = [
        _json(api, "post", "/api/v1/projects/", {"name": f"P{n}"}).status_code for n in range(4)
    ]
    assert statuses == [201, 201, 201, 403]
    refused = _json(api, "post", "/api/v1/projects/", {"name": "P5"}).json()
    assert refused["error"] == "plan_limit" and "allows 3 projects" in refused["detail"]


def test_a_read_only_workspace_reads_but_writes_get_a_json_refusal(acme):
    Subscription.objects.filter(tenant=acme.tenant).update(
        status=Subscription.Status.EXPIRED, trial_end=timezone.now() - timedelta(days=1)
    )
    api = _api(acme, _key(acme))
    assert api.get("/api/v1/projects/").status_code == 200
    refused = _json(api, "post", "/api/v1/projects/", {"name": "Late"})
    assert refused.status_code == 403 and refused.json()["error"] == "read_only"


def test_one_tenants_ids_are_not_found_through_anothers_api(acme, globex):
    with schema_context(globex.schema):
        secret = ProjectFactory(name="Globex plans")
    api = _api(acme, _key(acme))
    assert api.get(f"/api/v1/projects/{secret.pk}/").status_code in (404, 200)
    if api.get(f"/api/v1/projects/{secret.pk}/").status_code == 200:  # acme has that id too
        assert api.get(f"/api/v1/projects/{secret.pk}/").json()["name"] != "Globex plans"
    assert "Globex plans" not in api.get("/api/v1/projects/").content.decode()
    assert _json(api, "delete", f"/api/v1/projects/{secret.pk}/").status_code in (404, 204)
    with schema_context(globex.schema):
        assert Project.objects.filter(pk=secret.pk).exists()


def test_each_key_is_rate_limited_with_retry_after(acme, settings):
    settings.API_RATE_LIMIT = "3/m"
    key = _key(acme, scope="read")
    statuses = [_api(acme, key).get("/api/v1/projects/") for _ in range(4)]
    assert [r.status_code for r in statuses] == [200, 200, 200, 429]
    assert int(statuses[-1]["Retry-After"]) > 0
    assert statuses[-1].json()["error"] == "rate_limited"
    other = _key(acme, scope="read")
    assert _api(acme, other).get("/api/v1/projects/").status_code == 200  # per key


def test_api_calls_are_counted_for_the_usage_page(acme):
    api = _api(acme, _key(acme, scope="read"))
    for _ in range(3):
        api.get("/api/v1/projects/")
    with schema_context(acme.schema):
        assert ApiUsageDay.objects.get(day=timezone.localdate()).calls == 3


def test_a_signed_in_browser_uses_the_api_with_its_session_and_csrf(acme):
    client = acme.client()
    client.handler.enforce_csrf_checks = True
    assert client.get("/api/v1/projects/").status_code == 200
    refused = _json(client, "post", "/api/v1/projects/", {"name": "No token"})
    assert refused.status_code == 403 and "CSRF" in refused.json()["detail"]
    with schema_context(acme.schema):
        assert not Task.objects.exists() and not Project.objects.filter(name="No token").exists()


# --- the API's description ------------------------------------------------------------------


def test_the_openapi_schema_validates_and_describes_the_key(acme):
    from openapi_spec_validator import validate

    schema = acme.client(logged_in=False).get("/api/schema/?format=json")
    assert schema.status_code == 200
    document = json.loads(schema.content)
    validate(document)
    assert document["openapi"].startswith("3.")
    assert "/api/v1/projects/" in document["paths"] and "/api/v1/tasks/{id}/" in document["paths"]
    assert document["components"]["securitySchemes"]["apiKey"]["scheme"] == "bearer"


def test_the_browsable_docs_are_served_without_a_cdn(acme):
    docs = acme.client(logged_in=False).get("/api/docs/")
    assert docs.status_code == 200
    body = docs.content.decode()
    assert "swagger-ui" in body and "cdn." not in body and "unpkg" not in body
    assert acme.client(logged_in=False).get("/api/redoc/").status_code == 200
