"""Path routing (TENANT_ROUTING=path): tenants at /t/<subdomain>/ on the public host, as on a
bare <app>.herokuapp.com. Every page, redirect, form, handoff, static file and email link."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from core_app.models import Project
from tests.conftest import PASSWORD

SIGNUP = {
    "organization_name": "Pathy",
    "subdomain": "pathy",
    "email": "boss@pathy.test",
    "password": "a-long-path-password",
}


@pytest.fixture(autouse=True)
def path_mode(settings):
    settings.TENANT_ROUTING = "path"
    settings.SITE_URL = "https://awan-demo.example"


def _client(acme=None, *, logged_in=False) -> Client:
    client = Client(HTTP_HOST="localhost")
    if logged_in:
        from django.contrib.auth import get_user_model

        with schema_context(acme.schema):
            client.force_login(get_user_model().objects.get(pk=acme.owner_id))
        # force_login sets a path-less cookie; a browser would hold the /t/acme/ one.
    return client


def test_signup_hands_off_to_the_tenants_path_and_lands_logged_in(public_client):
    response = public_client.post("/signup/", SIGNUP)

    target = urlsplit(response["Location"])
    assert target.hostname == "localhost"
    assert target.path.startswith("/t/pathy/auth/handoff/")
    landed = public_client.get(target.path, follow=True)
    assert landed.redirect_chain[-1][0] == "/t/pathy/"
    body = landed.content.decode()
    assert "boss@pathy.test" in body
    assert 'href="/t/pathy/billing/"' in body and 'action="/t/pathy/projects/new/"' in body
    assert 'href="/static/css/awan.css"' in body


def test_session_and_csrf_cookies_are_scoped_to_the_tenants_path(public_client):
    path = urlsplit(public_client.post("/signup/", SIGNUP)["Location"]).path
    landed = public_client.get(path)
    assert landed.cookies["awan_session"]["path"] == "/t/pathy/"


def test_forms_and_redirects_stay_under_the_prefix(acme):
    client = _client(acme, logged_in=True)

    created = client.post("/t/acme/projects/new/", {"name": "Via path"})

    with schema_context(acme.schema):
        project = Project.objects.get(name="Via path")
    assert created["Location"] == f"/t/acme/projects/{project.pk}/"
    detail = client.get(created["Location"]).content.decode()
    assert f'action="/t/acme/projects/{project.pk}/tasks/"' in detail
    assert 'href="/t/acme/"' in detail


def test_login_required_redirects_to_the_tenants_login_and_back(acme):
    client = _client()
    response = client.get("/t/acme/projects/new/")
    assert response["Location"] == "/t/acme/login/?next=/t/acme/projects/new/"

    login = client.post(
        "/t/acme/login/?next=/t/acme/projects/new/",
        {"username": acme.owner_email, "password": PASSWORD},
    )
    assert login["Location"] == "/t/acme/projects/new/"
    assert client.get(login["Location"]).status_code == 200


def test_password_reset_email_links_into_the_tenants_path(acme):
    _client().post("/t/acme/password-reset/", {"email": acme.owner_email})
    link = re.search(r"http://\S+", mail.outbox[0].body).group(0)
    assert link.startswith("http://localhost/t/acme/reset/")


def test_worker_emails_link_into_the_tenants_path(
    public_client, django_capture_on_commit_callbacks, acme
):
    from tenants.tasks import tenant_send_welcome_email

    tenant_send_welcome_email.apply(kwargs={"schema_name": acme.schema, "user_id": acme.owner_id})
    assert "https://awan-demo.example/t/acme/" in mail.outbox[-1].body


def test_unknown_tenant_path_is_the_404_page(seeded_tenants, db):
    response = _client().get("/t/nosuch/")
    assert response.status_code == 404
    assert "There is no workspace at this address" in response.content.decode()


def test_bare_prefix_redirects_to_the_slash(acme):
    assert _client().get("/t/acme")["Location"] == "/t/acme/"


def test_public_site_still_answers_outside_the_prefix(public_client):
    assert "Create your workspace" in public_client.get("/").content.decode()
    assert public_client.get("/signup/").status_code == 200


def test_a_public_site_cookie_never_shadows_the_tenants_own(acme, public_client):
    """An operator logged into /admin/ has awan_session at path "/": under /t/acme/ the browser
    sends both, the tenant's (longer path) first."""
    tenant_client = _client(acme, logged_in=True)
    tenant_session = tenant_client.cookies["awan_session"].value
    cookie = f"awan_session={tenant_session}; awan_session=public-site-session-key"

    page = Client(HTTP_HOST="localhost").get("/t/acme/", HTTP_COOKIE=cookie)

    assert page.status_code == 200
    assert acme.owner_email in page.content.decode()


def test_one_tenants_session_is_useless_under_another_tenants_path(acme, globex):
    client = _client(acme, logged_in=True)
    assert client.get("/t/acme/").status_code == 200
    assert client.get("/t/globex/")["Location"].startswith("/t/globex/login/")


def test_second_tenant_cannot_reach_first_tenants_rows_via_its_path(acme, globex):
    from tests.factories import ProjectFactory

    with schema_context(acme.schema):
        secret = ProjectFactory(name="Acme path secret")
    client = _client(globex, logged_in=True)
    response = client.get(f"/t/globex/projects/{secret.pk}/")
    assert response.status_code == 404
    assert "Acme path secret" not in response.content.decode()


def test_subdomain_hosts_are_not_tenants_in_path_mode_unless_a_domain_row_says_so(acme):
    # acme still has its Domain row (custom domains keep working in both modes)
    response = Client(HTTP_HOST="acme.localhost").get("/login/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "next_url",
    [
        "/t/globex/projects/",  # another tenant on the same origin
        "/admin/",  # the operators' admin, also on this origin
        "/t/acmeco/",  # a prefix that only starts with ours
    ],
)
def test_login_next_may_only_point_inside_the_same_tenants_prefix(acme, globex, next_url):
    login = _client().post(
        f"/t/acme/login/?next={next_url}", {"username": acme.owner_email, "password": PASSWORD}
    )
    assert login.status_code == 302
    assert login["Location"] == "/t/acme/"


def test_a_next_inside_the_prefix_is_kept(acme):
    login = _client().post(
        "/t/acme/login/",
        {"username": acme.owner_email, "password": PASSWORD, "next": "/t/acme/members/"},
    )
    assert login["Location"] == "/t/acme/members/"
