from __future__ import annotations

import html
from urllib.parse import urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django_tenants.utils import schema_context

from tenants import errors
from tenants.models import Domain, LoginHandoff, Tenant
from tenants.selectors import schema_exists
from tenants.services import SubdomainTaken, tenant_signup

VALID = {
    "organization_name": "Initech",
    "subdomain": "initech",
    "email": "Peter@Initech.test",
    "password": "tps-reports-are-due-friday",
}


def _shows(response, message: str) -> bool:
    return html.escape(message) in response.content.decode()


def _post(client, **overrides):
    return client.post("/signup/", {**VALID, **overrides})


def _nothing_created(subdomain: str) -> bool:
    return (
        not Tenant.objects.filter(subdomain=subdomain).exists()
        and not Domain.objects.filter(domain__startswith=f"{subdomain}.").exists()
        and not schema_exists(schema_name=f"t_{subdomain.replace('-', '_')}")
    )


def test_landing_and_signup_pages_render(public_client):
    assert public_client.get("/").status_code == 200
    page = public_client.get("/signup/")
    assert page.status_code == 200
    assert b'name="subdomain"' in page.content


def test_valid_signup_creates_tenant_domain_schema_and_owner(public_client):
    response = _post(public_client)

    assert response.status_code == 302
    tenant = Tenant.objects.get(subdomain="initech")
    assert tenant.name == "Initech"
    assert tenant.schema_name == "t_initech"
    assert tenant.status == Tenant.Status.ACTIVE
    assert Domain.objects.get(tenant=tenant).domain == "initech.localhost"
    assert schema_exists(schema_name="t_initech")
    with schema_context("t_initech"):
        owner = get_user_model().objects.get()
        assert owner.email == "peter@initech.test"
        assert owner.check_password(VALID["password"])
    target = urlsplit(response["Location"])
    assert target.hostname == "initech.localhost"
    assert target.path.startswith("/auth/handoff/")


def test_owner_lands_on_dashboard_logged_in_after_handoff(public_client, client):
    location = urlsplit(_post(public_client)["Location"])

    tenant_client = type(client)(HTTP_HOST="initech.localhost")
    landed = tenant_client.get(location.path, follow=True)

    assert landed.redirect_chain[-1][0] == "/"
    assert landed.status_code == 200
    assert b"peter@initech.test" in landed.content
    assert b"Projects" in landed.content


def test_owner_user_lives_only_in_the_new_tenants_schema(public_client, acme):
    _post(public_client)
    with schema_context(acme.schema):
        assert not get_user_model().objects.filter(email="peter@initech.test").exists()
    assert not get_user_model().objects.filter(email="peter@initech.test").exists()  # public


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("subdomain", "ab", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "a" * 41, "Ensure this value has at most 40 characters"),
        ("subdomain", "9lives", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "init_tech", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "initech-", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "init--tech", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "in.itech", errors.SUBDOMAIN_FORMAT),
        ("subdomain", "", "This field is required."),
        ("organization_name", "   ", errors.ORGANIZATION_NAME_REQUIRED),
        ("email", "not-an-email", "Enter a valid email address."),
        (
            "password",
            "short-pw",
            "This password is too short. It must contain at least 12 characters.",
        ),
        ("password", "123456789012345", "This password is entirely numeric."),
        ("password", "password1234", "This password is too common."),
    ],
)
def test_invalid_signup_rerenders_with_specific_message_and_creates_nothing(
    public_client, field, value, message
):
    response = _post(public_client, **{field: value})

    assert response.status_code == 400
    assert _shows(response, message)
    assert _nothing_created(VALID["subdomain"])
    assert not Tenant.objects.filter(name=VALID["organization_name"]).exists()


@pytest.mark.parametrize(
    "subdomain",
    [
        *("www", "admin", "api", "public", "static", "media", "app", "mail", "billing"),
        *("autodiscover", "wpad", "mta-sts", "localhost", "webmail", "email", "sso", "oauth"),
        *("operator", "operators", "status", "help", "support", "docs", "blog", "dashboard"),
    ],
)
def test_reserved_subdomains_are_refused(public_client, subdomain):
    tenants_before = Tenant.objects.count()

    response = _post(public_client, subdomain=subdomain)

    assert response.status_code == 400
    assert _shows(response, errors.SUBDOMAIN_RESERVED)
    assert Tenant.objects.count() == tenants_before
    assert not schema_exists(schema_name=f"t_{subdomain}")


def test_subdomain_mapping_onto_an_existing_schema_is_refused(public_client):
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "t_orphan"')

    response = _post(public_client, subdomain="orphan")

    assert response.status_code == 400
    assert _shows(response, errors.SUBDOMAIN_TAKEN)
    assert not Tenant.objects.filter(subdomain="orphan").exists()


def test_duplicate_subdomain_is_refused_and_first_tenant_is_untouched(public_client, acme):
    response = _post(public_client, subdomain="acme", organization_name="Impostor")

    assert response.status_code == 400
    assert _shows(response, errors.SUBDOMAIN_TAKEN)
    assert Tenant.objects.get(subdomain="acme").name == "Acme Inc"
    assert not Tenant.objects.filter(name="Impostor").exists()


def test_signup_is_rate_limited_per_client_ip(public_client, settings):
    settings.SIGNUP_RATE_LIMIT = "2/h"
    for attempt in range(2):
        assert _post(public_client, subdomain=f"rate-{attempt}x").status_code == 302

    limited = _post(public_client, subdomain="rate-3x")
    other_ip = type(public_client)(HTTP_HOST="localhost", REMOTE_ADDR="10.9.9.9")
    allowed = _post(other_ip, subdomain="rate-4x")

    assert limited.status_code == 429
    assert _shows(limited, errors.SIGNUP_RATE_LIMITED)
    assert _nothing_created("rate-3x")
    assert allowed.status_code == 302


def test_handoff_token_works_once(public_client, client):
    path = urlsplit(_post(public_client)["Location"]).path
    first = type(client)(HTTP_HOST="initech.localhost")
    second = type(client)(HTTP_HOST="initech.localhost")

    assert first.get(path)["Location"] == "/"
    replay = second.get(path, follow=True)

    assert replay.redirect_chain[-1][0].startswith("/login/")
    assert _shows(replay, errors.HANDOFF_INVALID)


def test_handoff_token_is_refused_on_another_tenants_host(public_client, client, acme):
    path = urlsplit(_post(public_client)["Location"]).path

    on_acme = type(client)(HTTP_HOST=acme.host).get(path, follow=True)

    assert _shows(on_acme, errors.HANDOFF_INVALID)
    assert "_auth_user_id" not in on_acme.client.session
    assert LoginHandoff.objects.get(tenant__subdomain="initech").used_at is None


def test_expired_handoff_token_is_refused(public_client, client, settings):
    path = urlsplit(_post(public_client)["Location"]).path
    LoginHandoff.objects.filter(tenant__subdomain="initech").update(created="2000-01-01T00:00:00Z")

    response = type(client)(HTTP_HOST="initech.localhost").get(path, follow=True)

    assert _shows(response, errors.HANDOFF_INVALID)


def test_forged_handoff_token_is_refused(client, acme):
    response = type(client)(HTTP_HOST="acme.localhost").get(
        "/auth/handoff/forged:token/", follow=True
    )
    assert _shows(response, errors.HANDOFF_INVALID)


@pytest.mark.django_db(transaction=False)
def test_service_refuses_a_taken_subdomain(acme):
    with pytest.raises(SubdomainTaken):
        tenant_signup(name="X", subdomain="acme", owner_email="x@x.test", password="x" * 20)


@pytest.mark.parametrize(
    "name", ["Acme\r\nBcc: victim@example.com", "Acme\nInc", "Tab\tCo", "Null\x00Co", "Sep\u2028Co"]
)
def test_an_organization_name_with_control_characters_is_refused_and_nothing_is_made(
    public_client, mailoutbox, name
):
    response = _post(public_client, organization_name=name)

    assert response.status_code == 400
    assert _shows(response, errors.NAME_CONTROL_CHARACTERS)
    assert _nothing_created(VALID["subdomain"])
    assert mailoutbox == []


def test_a_subdomain_typed_in_capitals_is_taken_in_lowercase(public_client):
    response = _post(public_client, subdomain="UpperCo")

    assert response.status_code == 302
    assert urlsplit(response["Location"]).hostname == "upperco.localhost"
    assert Tenant.objects.filter(subdomain="upperco", schema_name="t_upperco").exists()


def test_a_password_like_the_email_is_explained_without_mentioning_a_username(public_client):
    response = _post(
        public_client, email="orangutan.trapeze@initech.test", password="orangutan.trapeze"
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "too similar to the email address" in body
    assert "username" not in body.lower()


def test_signup_adds_the_owner_to_the_public_account_index(public_client):
    from tenants.directory import tenants_for_email

    _post(public_client)
    assert [t.subdomain for t in tenants_for_email(email="PETER@initech.test")] == ["initech"]


def test_a_password_that_is_the_dotted_part_before_the_at_is_refused(public_client):
    response = _post(
        public_client, email="margarethe.oberhuber@initech.test", password="margarethe.oberhuber"
    )
    assert response.status_code == 400
    assert _shows(response, errors.PASSWORD_LIKE_EMAIL)
    assert _nothing_created(VALID["subdomain"])
