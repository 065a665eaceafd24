"""Shared fixtures. Everything runs against the real PostgreSQL and Redis the launcher gave us.

Two tenants (acme, globex) are created once per session and committed; each test then runs in
a transaction that rolls back, schemas included (PostgreSQL DDL is transactional). Tests that
cross a process boundary use `live_db`, which commits for real and drops what it made.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from billing.services import plan_sync_from_settings
from tenants.fleet.pool import pool_refill
from tenants.models import Tenant
from tenants.provisioning import schema_drop
from tenants.services import tenant_public_ensure, tenant_signup

PASSWORD = "a-long-test-password-42"


@dataclass(frozen=True)
class TenantInfo:
    tenant: Tenant
    owner_id: int
    owner_email: str

    @property
    def host(self) -> str:
        return f"{self.tenant.subdomain}.{settings.BASE_DOMAIN}"

    @property
    def schema(self) -> str:
        return self.tenant.schema_name

    def owner(self):
        with schema_context(self.schema):
            return get_user_model().objects.get(pk=self.owner_id)

    def client(self, *, logged_in: bool = True, **headers: str) -> Client:
        """A test client on this tenant's host (headers may override it, e.g. for a router)."""
        client = Client(**{"HTTP_HOST": self.host, **headers})
        if logged_in:
            with schema_context(self.schema):
                client.force_login(get_user_model().objects.get(pk=self.owner_id))
        return client

    def add_member(self, email: str | None = None, role: str = "member") -> int:
        """A member (or admin), added through the team service; returns the user id."""
        from tenants.workspace.team import member_add

        with schema_context(self.schema):
            owner = get_user_model().objects.get(pk=self.owner_id)
            email = email or f"member@{self.tenant.subdomain}.test"
            return member_add(email=email, password=PASSWORD, actor=owner, role=role).pk

    def client_as(self, user_id: int) -> Client:
        client = Client(HTTP_HOST=self.host)
        with schema_context(self.schema):
            client.force_login(get_user_model().objects.get(pk=user_id))
        return client


def _flush_test_redis() -> None:
    redis.Redis.from_url(settings.CACHES["default"]["LOCATION"]).flushdb()


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker) -> Iterator[None]:
    """Always create the test database. pytest-django only creates it when some collected test
    asks for `db`; an e2e-only run (processes + `live_db`) would otherwise hit the dev database."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        teardown_databases(config, verbosity=0)


@pytest.fixture(scope="session")
def seeded_tenants(django_db_setup, django_db_blocker) -> dict[str, TenantInfo]:
    _flush_test_redis()
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not on the test database"
        tenant_public_ensure()
        plan_sync_from_settings()
        pool_refill()  # spare schemas, so signups claim one (as in production)
        made = {}
        for subdomain, name in (("acme", "Acme Inc"), ("globex", "Globex Corp")):
            email = f"owner@{subdomain}.test"
            result = tenant_signup(
                name=name, subdomain=subdomain, owner_email=email, password=PASSWORD
            )
            made[subdomain] = TenantInfo(result.tenant, result.owner_id, email)
        pool_refill()
    return made


@pytest.fixture
def acme(seeded_tenants, db) -> TenantInfo:
    return seeded_tenants["acme"]


@pytest.fixture
def globex(seeded_tenants, db) -> TenantInfo:
    return seeded_tenants["globex"]


@pytest.fixture
def public_client(seeded_tenants, db) -> Client:
    return Client(HTTP_HOST=settings.BASE_DOMAIN, REMOTE_ADDR="10.1.2.3")


@pytest.fixture(autouse=True)
def _back_to_public_schema() -> Iterator[None]:
    """A request through the test client leaves the connection on the tenant's schema."""
    yield
    if connection.connection is not None or connection.in_atomic_block:
        connection.set_schema_to_public()


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Rate-limit counters and cached entries never leak from one test into the next."""
    yield
    _flush_test_redis()


@pytest.fixture
def live_db(seeded_tenants, django_db_blocker) -> Iterator[None]:
    """Real commits, visible to other processes; tenants made during the test are dropped."""
    with django_db_blocker.unblock():
        before = set(Tenant.objects.values_list("pk", flat=True))
        yield
        connection.set_schema_to_public()
        for tenant in Tenant.objects.exclude(pk__in=before):
            schema_drop(schema_name=tenant.schema_name)
            tenant.delete()
        pool_refill()  # the signups of this test used spares: make them good again


def database_url() -> str:
    """DATABASE_URL of the test database, for processes the tests start."""
    db = connection.settings_dict
    host = quote(db["HOST"] or db["OPTIONS"].get("host", ""), safe="")
    port = f":{db['PORT']}" if db["PORT"] else ""
    auth = quote(db["USER"] or "postgres") + (f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{host}{port}/{db['NAME']}"


# Settings that only production.py sets (or sets differently), to apply on top of the test
# settings: the proxy, HTTPS and cookie rules a deploy runs under. Data stores, mail and secrets
# stay the tests' own.
_NOT_FROM_PRODUCTION = {
    "SECRET_KEY",
    "DATABASES",
    "CACHES",
    "EMAIL_BACKEND",
    "CELERY_BEAT_SCHEDULE_FILENAME",
    "SILENCED_SYSTEM_CHECKS",
}


def production_only_settings() -> dict:
    import importlib
    import os

    import config.settings.base as base

    saved = {k: os.environ.get(k) for k in ("SECRET_KEY", "DATABASE_URL")}
    os.environ.setdefault("SECRET_KEY", "production-settings-under-test")
    os.environ.setdefault("DATABASE_URL", "postgres://localhost/unused")
    try:
        production = importlib.reload(importlib.import_module("config.settings.production"))
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
    return {
        name: getattr(production, name)
        for name in dir(production)
        if name.isupper()
        and name not in _NOT_FROM_PRODUCTION
        and getattr(production, name) != getattr(base, name, object())
    }


@pytest.fixture
def production_settings(settings):
    """The test settings with production's proxy/HTTPS/cookie rules on top (Heroku's router in
    front: TRUSTED_PROXY_COUNT=1, X-Forwarded-Proto trusted, HTTPS redirect, secure cookies)."""
    for name, value in production_only_settings().items():
        setattr(settings, name, value)
    assert settings.TRUSTED_PROXY_COUNT == 1 and settings.SECURE_SSL_REDIRECT
    return settings


def heroku_router_headers(*, host: str, client_ip: str = "203.0.113.9", spoofed: str = "") -> dict:
    """What Heroku's router sends the dyno: the Host the browser used (no port on 443),
    X-Forwarded-Proto/-Port for the client's connection, the client appended to
    X-Forwarded-For, and gunicorn's socket port ($PORT) as the server port."""
    forwarded_for = f"{spoofed}, {client_ip}" if spoofed else client_ip
    return {
        "HTTP_HOST": host,
        "HTTP_X_FORWARDED_PROTO": "https",
        "HTTP_X_FORWARDED_PORT": "443",
        "HTTP_X_FORWARDED_FOR": forwarded_for,
        "HTTP_X_REQUEST_START": "1700000000000",
        "SERVER_PORT": "34567",
        "REMOTE_ADDR": "10.1.44.7",
    }


@pytest.fixture
def run_on_commit(monkeypatch):
    """Tests run inside a transaction that never commits: run what the code defers to
    `transaction.on_commit` (queueing a task, mostly) at once, as a commit would."""
    from django.db import transaction

    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def operator_verified(client: Client, user) -> Client:
    """Sign an operator in on the public host, second factor passed: a confirmed TOTP device
    and the session the console's verify step leaves (django-otp's device id in it)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


@pytest.fixture
def operator_client(seeded_tenants, db) -> Client:
    """An operator (staff, not superuser) on the public host, second factor passed."""
    user = get_user_model().objects.create_user(
        "ops", "ops@awan.test", PASSWORD, is_staff=True, is_superuser=True
    )
    return operator_verified(Client(HTTP_HOST=settings.BASE_DOMAIN, REMOTE_ADDR="10.9.8.7"), user)
