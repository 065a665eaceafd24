"""The console is for operators only: staff of the public schema, with a TOTP second factor
(always in production), on the public host only; its actions are CSRF-checked and rate-limited.
The operators' admin follows the same rule."""

from __future__ import annotations

import importlib

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tenants.models import Tenant
from tests.conftest import PASSWORD


def code_for(device: TOTPDevice, *, drift: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.drift = drift
    return f"{totp.token():06d}"


def _throttle_reset(device: TOTPDevice) -> None:
    """As if the delay django-otp imposes after a wrong code had passed."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )


@pytest.fixture
def staff(seeded_tenants, db):
    return get_user_model().objects.create_user("ana", "ana@awan.test", PASSWORD, is_staff=True)


def public(**kwargs) -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN, REMOTE_ADDR="10.20.30.40", **kwargs)


def test_anonymous_visitors_are_sent_to_the_login(seeded_tenants, db):
    response = public().get("/console/tenants/")
    assert response.status_code == 302
    assert response.url == "/console/login/?next=%2Fconsole%2Ftenants%2F"


def test_the_console_does_not_exist_on_tenant_hosts(acme, settings):
    assert acme.client().get("/console/").status_code == 404
    assert acme.client().get("/console/login/").status_code == 404
    settings.TENANT_ROUTING = "path"
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(acme.owner())  # a tenant user's session, in its schema
    assert client.get("/t/acme/console/").status_code == 404


def test_a_tenant_owners_credentials_do_not_open_it(acme):
    client = public()
    response = client.post("/console/login/", {"username": acme.owner_email, "password": PASSWORD})
    assert response.status_code == 400 and "_auth_user_id" not in client.session


def test_a_public_user_who_is_not_staff_is_refused(seeded_tenants, db):
    user = get_user_model().objects.create_user("bob", "bob@awan.test", PASSWORD)
    client = public()
    assert (
        client.post("/console/login/", {"username": "bob", "password": PASSWORD}).status_code == 400
    )
    client.force_login(user)
    refused = client.get("/console/")
    assert refused.status_code == 403 and "Operators only" in refused.content.decode()


def test_staff_without_a_second_factor_must_set_one_up_first(staff):
    client = public()
    response = client.post("/console/login/", {"username": "ana", "password": PASSWORD})
    assert response.status_code == 302 and response.url.startswith("/console/2fa/setup/")
    assert client.get("/console/").url.startswith("/console/2fa/setup/")
    assert client.get("/console/tenants/acme/").status_code == 302
    assert client.post("/console/tenants/acme/suspend/", {"reason": "x"}).status_code == 302
    assert Tenant.objects.get(subdomain="acme").status == "active"
    setup = client.get("/console/2fa/setup/")
    assert setup.status_code == 200 and "<svg" in setup.content.decode()
    device = TOTPDevice.objects.get(user=staff, confirmed=False)
    assert client.post("/console/2fa/setup/", {"code": "000000"}).status_code == 400
    # Straight after a wrong code, django-otp makes you wait (1 s, doubling): it says so.
    wait = client.post("/console/2fa/setup/", {"code": code_for(device)})
    assert wait.status_code == 429 and "wait a few seconds" in wait.content.decode()
    _throttle_reset(device)
    done = client.post("/console/2fa/setup/?next=/console/tenants/", {"code": code_for(device)})
    assert done.status_code == 302 and done.url == "/console/tenants/"
    assert client.get("/console/tenants/").status_code == 200
    assert TOTPDevice.objects.get(pk=device.pk).confirmed


def test_a_returning_operator_signs_in_with_password_then_code(staff):
    device = TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = public()
    step = client.post("/console/login/", {"username": "ana", "password": PASSWORD})
    assert step.url.startswith("/console/verify/")
    assert client.get("/console/").url.startswith("/console/verify/")  # not yet
    assert client.post("/console/verify/", {"code": "123456"}).status_code == 400
    _throttle_reset(device)
    ok = client.post("/console/verify/", {"code": code_for(device)})
    assert ok.status_code == 302, ok.content.decode()[-1500:]
    assert client.get("/console/").status_code == 200


def test_wrong_codes_are_throttled(staff):
    TOTPDevice.objects.create(user=staff, name="phone", confirmed=True)
    client = public()
    client.post("/console/login/", {"username": "ana", "password": PASSWORD})
    device = TOTPDevice.objects.get(user=staff)
    statuses = []
    for _ in range(11):
        statuses.append(client.post("/console/verify/", {"code": "000000"}).status_code)
        _throttle_reset(device)  # past django-otp's own delay: this is our per-operator limit
    assert statuses[:10] == [400] * 10 and statuses[10] == 429


def test_the_operators_admin_needs_the_second_factor_too(staff):
    staff.is_superuser = True
    staff.save()
    client = public()
    client.force_login(staff)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/console/login/?next=%2Fadmin%2F"
    from tests.conftest import operator_verified

    assert operator_verified(public(), staff).get("/admin/").status_code == 200


def test_production_always_requires_the_second_factor(monkeypatch):
    monkeypatch.setenv("CONSOLE_REQUIRE_2FA", "false")
    monkeypatch.setenv("SECRET_KEY", "x" * 50)
    monkeypatch.setenv("DATABASE_URL", "postgres://localhost/unused")
    production = importlib.reload(importlib.import_module("config.settings.production"))
    assert production.CONSOLE_REQUIRE_2FA is True
    local = importlib.reload(importlib.import_module("config.settings.local"))
    assert local.CONSOLE_REQUIRE_2FA is False  # make run: off unless asked for


def test_actions_need_the_csrf_token(operator_client, acme):
    from tests.conftest import operator_verified

    user = get_user_model().objects.get(username="ops")
    strict = operator_verified(public(enforce_csrf_checks=True), user)
    response = strict.post("/console/tenants/acme/suspend/", {"reason": "No token"})
    assert response.status_code == 403
    assert Tenant.objects.get(subdomain="acme").status == "active"


def test_actions_are_rate_limited_per_operator(operator_client, acme, settings):
    settings.CONSOLE_ACTION_RATE_LIMIT = "3/m"
    statuses = [
        operator_client.post("/console/tenants/acme/export/", {"reason": ""}).status_code
        for _ in range(4)
    ]
    assert statuses == [302, 302, 302, 429]
