"""The API keys page: a key is shown once, and re-sending the same form (reloading the page
that showed it) doesn't make a second one."""

from __future__ import annotations

import re

from django_tenants.utils import schema_context

from tenants.workspace.models import ApiKey


def _form_nonce(page: str) -> str:
    match = re.search(r'name="nonce" value="([^"]+)"', page)
    assert match, "the form carries a one-time value"
    return match.group(1)


def test_reposting_the_same_form_makes_one_key(acme):
    client = acme.client()
    nonce = _form_nonce(client.get("/developers/api-keys/").content.decode())
    data = {"name": "Zapier", "scope": "read", "nonce": nonce}
    first = client.post("/developers/api-keys/", data)
    assert first.status_code == 200 and first["Cache-Control"] == "no-store"
    assert re.search(r"awan_[0-9a-f]{8}_", first.content.decode())
    again = client.post("/developers/api-keys/", data, follow=True)
    assert "already sent" in again.content.decode()
    assert not re.search(r"awan_[0-9a-f]{8}_[A-Za-z0-9_-]{20,}", again.content.decode())
    with schema_context(acme.schema):
        assert ApiKey.objects.filter(name="Zapier").count() == 1
    # A fresh form (a new GET) makes a new key.
    fresh = _form_nonce(client.get("/developers/api-keys/").content.decode())
    assert fresh != nonce
    client.post("/developers/api-keys/", {**data, "nonce": fresh})
    with schema_context(acme.schema):
        assert ApiKey.objects.filter(name="Zapier").count() == 2


def test_a_form_without_its_one_time_value_is_refused(acme):
    response = acme.client().post("/developers/api-keys/", {"name": "k", "scope": "read"})
    assert response.status_code == 400
    with schema_context(acme.schema):
        assert not ApiKey.objects.exists()
