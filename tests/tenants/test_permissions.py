"""The permission table, held everywhere: every page and action of a workspace, for each role
(owner, admin, member), allowed or refused with 403 — written out here on purpose, so a change
to the code's table that isn't meant shows up as a failing row."""

from __future__ import annotations

import pytest

from tenants.roles import PERMISSIONS, Perm, Role

OWNER, ADMIN, MEMBER = "owner", "admin", "member"

# (method, path, data, roles allowed)
MATRIX = [
    ("get", "/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/projects/new/", None, {OWNER, ADMIN, MEMBER}),
    ("post", "/projects/new/", {"name": "By role"}, {OWNER, ADMIN, MEMBER}),
    ("get", "/members/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/usage/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/settings/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/billing/", None, {OWNER, ADMIN, MEMBER}),
    ("get", "/api/v1/projects/", None, {OWNER, ADMIN, MEMBER}),
    ("post", "/members/invite/", {"email": "new@acme.test", "role": "member"}, {OWNER, ADMIN}),
    ("get", "/developers/api-keys/", None, {OWNER, ADMIN}),
    (
        "post",
        "/developers/api-keys/",
        {"name": "k", "scope": "read", "nonce": "one-time-form-value"},
        {OWNER, ADMIN},
    ),
    ("get", "/developers/webhooks/", None, {OWNER, ADMIN}),
    (
        "post",
        "/developers/webhooks/",
        {"url": "http://127.0.0.1:9/h", "events": "task.created"},
        {OWNER, ADMIN},
    ),
    ("get", "/settings/export/", None, {OWNER, ADMIN}),
    ("post", "/settings/export/", None, {OWNER, ADMIN}),
    ("post", "/settings/name/", {"name": "Renamed"}, {OWNER}),
    ("post", "/settings/channel/", {"channel": "beta"}, {OWNER}),
    ("post", "/billing/checkout/starter/", None, {OWNER}),
    ("post", "/billing/portal/", None, {OWNER}),
]


@pytest.fixture
def as_role(acme, run_on_commit):
    def client(role: str):
        if role == OWNER:
            return acme.client()
        return acme.client_as(acme.add_member(f"{role}@acme.test", role=role))

    return client


@pytest.mark.parametrize("role", [OWNER, ADMIN, MEMBER])
@pytest.mark.parametrize(("method", "path", "data", "allowed"), MATRIX,
                         ids=[f"{m} {p}" for m, p, _, _ in MATRIX])  # fmt: skip
def test_each_role_is_allowed_or_refused_exactly_as_the_table_says(
    as_role, role, method, path, data, allowed
):
    response = getattr(as_role(role), method)(path, data or {})
    if role in allowed:
        assert response.status_code in (200, 201, 302), (role, path, response.status_code)
    else:
        assert response.status_code == 403, (role, path, response.status_code)


def test_the_tenants_own_django_admin_is_for_owners_only(as_role):
    assert as_role(OWNER).get("/admin/").status_code == 200
    for role in (ADMIN, MEMBER):
        assert as_role(role).get("/admin/")["Location"].startswith("/admin/login/")


def test_the_code_table_is_the_one_the_docs_show():
    assert PERMISSIONS[Perm.MANAGE_BILLING] == {Role.OWNER}
    assert PERMISSIONS[Perm.MANAGE_API_KEYS] == {Role.OWNER, Role.ADMIN}
    assert PERMISSIONS[Perm.USE_PRODUCT] == set(Role)
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text()
    from tenants.roles import DESCRIPTIONS

    for perm, label in DESCRIPTIONS.items():
        marks = " | ".join(
            "✓" if r in PERMISSIONS[perm] else " " for r in (Role.OWNER, Role.ADMIN, Role.MEMBER)
        )
        assert f"| {label} | {marks} |" in docs, label
