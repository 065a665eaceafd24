"""Absolute URLs behind Heroku's router, under production settings: one place (tenants.routing)
decides the public origin from what the client connected to, never from gunicorn's $PORT."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.test import Client, RequestFactory

from tenants.ratelimit import client_ip
from tenants.routing import public_url, tenant_url
from tests.conftest import heroku_router_headers

SIGNUP = {
    "organization_name": "Herokuapp Co",
    "subdomain": "herokuapp-co",
    "email": "ops@herokuapp.test",
    "password": "a-long-router-password-1",
}


def test_signup_behind_herokus_router_hands_off_to_a_url_without_the_dyno_port(
    seeded_tenants, db, production_settings
):
    client = Client(**heroku_router_headers(host="localhost"))
    response = client.post("/signup/", SIGNUP)

    assert response.status_code == 302, response.content[:500]
    target = urlsplit(response["Location"])
    assert (target.scheme, target.netloc) == ("https", "herokuapp-co.localhost")
    assert target.path.startswith("/auth/handoff/")


def test_path_mode_signup_behind_the_router_stays_on_the_app_host(
    seeded_tenants, db, production_settings
):
    production_settings.TENANT_ROUTING = "path"
    client = Client(**heroku_router_headers(host="localhost"))
    response = client.post("/signup/", SIGNUP)

    assert re.match(r"^https://localhost/t/herokuapp-co/auth/handoff/[^/]+/$", response["Location"])


def test_a_browser_on_a_non_default_port_keeps_its_port(seeded_tenants, db):
    request = RequestFactory().get("/", HTTP_HOST="localhost:8123", SERVER_PORT="34567")
    tenant = seeded_tenants["acme"].tenant
    assert tenant_url(tenant=tenant, path="/x/", request=request) == "http://acme.localhost:8123/x/"
    assert public_url(path="/login/", request=request) == "http://localhost:8123/login/"


def test_a_forwarded_port_counts_only_when_a_proxy_is_trusted(seeded_tenants, db, settings):
    tenant = seeded_tenants["acme"].tenant
    headers = {"HTTP_HOST": "localhost", "HTTP_X_FORWARDED_PORT": "8443", "SERVER_PORT": "34567"}
    settings.TRUSTED_PROXY_COUNT = 0
    direct = RequestFactory().get("/", **headers)
    assert tenant_url(tenant=tenant, request=direct) == "http://acme.localhost/"
    settings.TRUSTED_PROXY_COUNT = 1
    proxied = RequestFactory().get("/", **headers)
    assert tenant_url(tenant=tenant, request=proxied) == "http://acme.localhost:8443/"


def test_links_built_by_the_worker_use_site_url(seeded_tenants, db, settings):
    settings.SITE_URL = "http://localhost:9123"
    tenant = seeded_tenants["acme"].tenant
    assert tenant_url(tenant=tenant, path="/billing/") == "http://acme.localhost:9123/billing/"
    settings.SITE_URL = "https://app.example.com"
    assert tenant_url(tenant=tenant, path="/billing/") == "https://acme.localhost/billing/"


def test_make_run_passes_its_port_to_every_process_as_site_url(monkeypatch):
    from config import devenv

    captured = {}

    def fake_manage(env, *args):
        captured.update(env)
        raise KeyboardInterrupt  # stop before anything starts

    monkeypatch.setattr(devenv, "services_env", lambda: ({"PORT": "9321"}, []))
    monkeypatch.setattr(devenv, "_manage", fake_manage)
    assert devenv.command_run([]) == 0
    assert captured["SITE_URL"] == "http://localhost:9321"


# --- the client's address --------------------------------------------------------------


def _signup_attempts(client_kwargs: list[dict]) -> list[int]:
    statuses = []
    for n, kwargs in enumerate(client_kwargs):
        client = Client(**kwargs)
        data = {**SIGNUP, "subdomain": "x", "organization_name": f"Org {n}"}  # invalid: no tenant
        statuses.append(client.post("/signup/", data).status_code)
    return statuses


def test_a_spoofed_forwarded_for_cannot_dodge_the_signup_limit_without_a_proxy(
    seeded_tenants, db, settings
):
    settings.SIGNUP_RATE_LIMIT = "2/h"
    settings.TRUSTED_PROXY_COUNT = 0
    attempts = [
        {
            "HTTP_HOST": "localhost",
            "REMOTE_ADDR": "198.51.100.4",
            "HTTP_X_FORWARDED_FOR": f"10.9.9.{n}",
        }
        for n in range(3)
    ]
    assert _signup_attempts(attempts) == [400, 400, 429]


def test_behind_herokus_router_only_the_address_it_appended_counts(
    seeded_tenants, db, production_settings
):
    production_settings.SIGNUP_RATE_LIMIT = "2/h"
    attempts = [
        heroku_router_headers(host="localhost", client_ip="203.0.113.50", spoofed=f"10.9.9.{n}")
        for n in range(3)
    ]
    assert _signup_attempts(attempts) == [400, 400, 429]


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.1"),
        (1, "1.1.1.1", "1.1.1.1"),
        (1, "6.6.6.6, 1.1.1.1", "1.1.1.1"),
        (2, "6.6.6.6, 2.2.2.2, 1.1.1.1", "2.2.2.2"),
        (2, "1.1.1.1", "10.0.0.1"),  # fewer hops than proxies: not through them all
        (1, "", "10.0.0.1"),
    ],
)
def test_client_ip_takes_the_entry_the_nearest_trusted_proxy_wrote(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


# --- security headers on every response --------------------------------------------------

SECURITY_HEADERS = (
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


@pytest.mark.parametrize(
    ("host", "path", "status"),
    [
        ("nosuch.localhost", "/", 404),  # answered by routing: no tenant here
        ("localhost", "/t/acme", 301),  # path mode's add-a-slash redirect
        ("acme.localhost", "/login/", 200),  # an ordinary page, for comparison
    ],
)
def test_responses_made_before_the_views_carry_the_security_headers(
    seeded_tenants, db, production_settings, host, path, status
):
    if path.startswith("/t/"):
        production_settings.TENANT_ROUTING = "path"
    response = Client(**heroku_router_headers(host=host)).get(path)
    assert response.status_code == status
    missing = [h for h in SECURITY_HEADERS if h not in response.headers]
    assert missing == []
    assert response.headers["X-Content-Type-Options"] == "nosniff"
