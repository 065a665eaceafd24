"""Brute force: wrong passwords and reset requests are counted per client address and per
account, and past the limit refused with one message that never tells whether the account
exists."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client

from tenants import errors
from tests.conftest import PASSWORD


@pytest.fixture
def tight_limits(settings):
    settings.AUTH_RATE_LIMITS = {
        "login_failures_per_account": "3/15m",
        "login_failures_per_ip": "5/15m",
        "password_reset_per_account": "2/h",
        "password_reset_per_ip": "4/h",
    }


def _login(info, email, password, ip="198.51.100.1"):
    client = Client(HTTP_HOST=info.host, REMOTE_ADDR=ip)
    return client.post("/login/", {"username": email, "password": password})


def _throttled(response) -> bool:
    return response.status_code == 429 and html.escape(errors.LOGIN_THROTTLED) in (
        response.content.decode()
    )


def test_default_limits_stop_a_thirty_guess_run_on_one_account(acme):
    statuses = [_login(acme, acme.owner_email, f"guess-{n}").status_code for n in range(30)]
    assert statuses[:10] == [400] * 10  # the form again, "don't match"
    assert set(statuses[10:]) == {429}


def test_after_too_many_wrong_passwords_even_the_right_one_is_refused(acme, tight_limits):
    for n in range(3):
        assert _login(acme, acme.owner_email, f"wrong-{n}").status_code == 400
    refused = _login(acme, acme.owner_email, PASSWORD)
    assert _throttled(refused)
    assert "_auth_user_id" not in refused.wsgi_request.session


def test_an_unknown_account_is_throttled_exactly_like_a_real_one(acme, tight_limits):
    for email in (acme.owner_email, "nobody@acme.test"):
        answers = [
            _login(acme, email, f"wrong-{n}", ip=f"198.51.100.{9 + len(email)}") for n in range(4)
        ]
        assert [a.status_code for a in answers] == [400, 400, 400, 429]
        assert html.escape(errors.LOGIN_INVALID) in answers[0].content.decode()


def test_one_address_guessing_many_accounts_is_throttled(acme, tight_limits):
    statuses = [
        _login(acme, f"user{n}@acme.test", "wrong", ip="203.0.113.77").status_code for n in range(6)
    ]
    assert statuses == [400] * 5 + [429]


def test_a_successful_login_clears_the_accounts_counter(acme, tight_limits):
    for n in range(2):
        _login(acme, acme.owner_email, f"wrong-{n}")
    assert _login(acme, acme.owner_email, PASSWORD).status_code == 302
    for n in range(2):
        assert _login(acme, acme.owner_email, f"again-{n}").status_code == 400
    assert _login(acme, acme.owner_email, PASSWORD).status_code == 302


def test_one_tenants_lockout_does_not_lock_the_same_email_elsewhere(acme, globex, tight_limits):
    for n in range(3):
        _login(acme, "shared@example.test", f"wrong-{n}")
    assert _throttled(_login(acme, "shared@example.test", "wrong"))
    assert _login(globex, "shared@example.test", "wrong").status_code == 400


def test_password_reset_requests_are_limited_per_account_with_the_same_answer_for_anyone(
    acme, tight_limits
):
    def ask(email, ip):
        client = Client(HTTP_HOST=acme.host, REMOTE_ADDR=ip)
        return client.post("/password-reset/", {"email": email})

    for email in (acme.owner_email, "nobody@acme.test"):
        statuses = [ask(email, f"192.0.2.{n}").status_code for n in range(3)]
        assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2  # only the real account got mail, and only twice
    third = ask(acme.owner_email, "192.0.2.99")
    assert html.escape(errors.PASSWORD_RESET_THROTTLED) in third.content.decode()


def test_password_reset_requests_are_limited_per_address(acme, tight_limits):
    client = Client(HTTP_HOST=acme.host, REMOTE_ADDR="192.0.2.200")
    statuses = [
        client.post("/password-reset/", {"email": f"p{n}@acme.test"}).status_code for n in range(5)
    ]
    assert statuses == [302] * 4 + [429]


def test_the_operators_login_is_throttled(public_client, tight_limits):
    """Operators sign in through the console (the operators' admin sends its login there)."""
    get_user_model().objects.create_superuser("root", "root@awan.test", "operator-password-1")
    assert public_client.get("/admin/login/").url.startswith("/console/login/")
    statuses = [
        public_client.post("/console/login/", {"username": "root", "password": f"x{n}"}).status_code
        for n in range(4)
    ]
    assert statuses[:3] == [400, 400, 400]
    locked = public_client.post(
        "/console/login/", {"username": "root", "password": "operator-password-1"}
    )
    assert html.escape(errors.LOGIN_THROTTLED) in locked.content.decode()
    assert "_auth_user_id" not in locked.wsgi_request.session


def test_a_tenants_own_admin_login_is_throttled(acme, tight_limits):
    client = Client(HTTP_HOST=acme.host, REMOTE_ADDR="198.51.100.60")
    for n in range(3):
        client.post("/admin/login/", {"username": acme.owner_email, "password": f"x{n}"})
    locked = client.post("/admin/login/", {"username": acme.owner_email, "password": PASSWORD})
    assert html.escape(errors.LOGIN_THROTTLED) in locked.content.decode()
