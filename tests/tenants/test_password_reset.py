from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.core import mail
from django_tenants.utils import schema_context


def _reset_link(message) -> str:
    return re.search(r"http://(\S+?)(/reset/\S+/)", message.body).group(0)


def test_password_reset_email_links_back_to_the_tenants_own_host(acme):
    response = acme.client(logged_in=False).post("/password-reset/", {"email": acme.owner_email})

    assert response["Location"] == "/password-reset/sent/"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [acme.owner_email]
    assert _reset_link(mail.outbox[0]).startswith("http://acme.localhost/reset/")


def test_owner_resets_password_and_logs_in_with_the_new_one(acme):
    client = acme.client(logged_in=False)
    client.post("/password-reset/", {"email": acme.owner_email})
    path = re.search(r"/reset/\S+/", mail.outbox[0].body).group(0)

    form_page = client.get(path, follow=True)
    new_password = "a-brand-new-long-password"
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": new_password, "new_password2": new_password},
    )

    assert done["Location"] == "/reset/done/"
    with schema_context(acme.schema):
        assert get_user_model().objects.get(pk=acme.owner_id).check_password(new_password)
    login = acme.client(logged_in=False).post(
        "/login/", {"username": acme.owner_email, "password": new_password}
    )
    assert login["Location"] == "/"


def test_reset_for_another_tenants_user_sends_nothing(acme, globex):
    globex.client(logged_in=False).post("/password-reset/", {"email": acme.owner_email})
    assert mail.outbox == []
