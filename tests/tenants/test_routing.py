from __future__ import annotations

import copy
import json

import pytest
from django.db import connection, connections
from django.test import Client


@pytest.mark.parametrize(
    "host", ["nosuch.localhost", "evil.example.com", "acme.localhost.evil.com"]
)
def test_unknown_host_is_a_404_that_shows_no_tenant_data(seeded_tenants, db, host):
    response = Client(HTTP_HOST=host).get("/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "There is no workspace at this address" in body
    assert "Acme" not in body and "signup" not in body


def test_public_host_serves_the_public_site_not_a_tenant(public_client):
    body = public_client.get("/").content.decode()
    assert "Create your workspace" in body


def test_tenant_host_serves_the_tenant_urlconf(acme):
    assert acme.client(logged_in=False).get("/signup/").status_code == 404
    assert acme.client(logged_in=False).get("/login/").status_code == 200


def test_operator_admin_lives_on_the_public_host(public_client):
    response = public_client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


@pytest.mark.parametrize("host", ["localhost", "acme.localhost", "nosuch.localhost", "evil.test"])
def test_healthz_answers_on_any_host(seeded_tenants, db, host):
    response = Client(HTTP_HOST=host).get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_is_503_when_the_broker_is_down(seeded_tenants, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = Client(HTTP_HOST="localhost").get("/healthz")
    assert response.status_code == 503
    payload = json.loads(response.content)
    assert payload["status"] == "unavailable"
    assert payload["database"] == "ok"
    assert payload["broker"].startswith("down")


def test_database_probe_reports_down_for_an_unreachable_server(db):
    from config.health import database_status

    settings_dict = {**copy.deepcopy(connection.settings_dict), "HOST": "127.0.0.1", "PORT": "1"}
    settings_dict["OPTIONS"] = {"connect_timeout": 1}
    unreachable = type(connections["default"])(settings_dict, alias="default")
    try:
        assert database_status(unreachable).startswith("down")
    finally:
        unreachable.close()


def test_every_response_carries_a_request_id(acme):
    response = acme.client(logged_in=False).get("/login/")
    assert len(response["X-Request-ID"]) == 32


def test_a_routers_request_id_is_kept(acme):
    client = Client(HTTP_HOST=acme.host, HTTP_X_REQUEST_ID="heroku-router-id-123")
    assert client.get("/login/")["X-Request-ID"] == "heroku-router-id-123"


def test_a_custom_domain_added_by_an_operator_serves_its_tenant(acme, settings):
    from tenants.models import Domain

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "projects.acme-corp.test"]
    Domain.objects.create(domain="projects.acme-corp.test", tenant=acme.tenant, is_primary=False)

    page = Client(HTTP_HOST="projects.acme-corp.test").get("/login/")

    assert page.status_code == 200
    assert "Log in to Acme Inc" in page.content.decode()


def test_healthz_keeps_one_redis_connection_however_often_it_is_asked(seeded_tenants, db):
    from django.conf import settings

    from config.health import _broker_client

    for _ in range(20):
        assert Client(HTTP_HOST="localhost").get("/healthz").status_code == 200
    pool = _broker_client(settings.CELERY_BROKER_URL).connection_pool
    assert pool._created_connections == 1
