"""The permission table, held everywhere: every page and action of a workspace, for each role
(owner, admin, member), allowed or refused with 403 — written out here on purpose, so a change
to the code's table that isn't meant shows up as a failing row."""

from __future__ import annotations

import pytest

from tenants.roles import PERMISSIONS, Perm, Role

O, A, M = "owner", "admin", "member"

# (method, path, data, roles allowed)
MATRIX = [
    ("get", "/", None, {O, A, M}),
    ("get", "/projects/new/", None, {O, A, M}),
    ("post", "/projects/new/", {"name": "By role"}, {O, A, M}),
    ("get", "/members/", None, {O, A, M}),
    ("get", "/usage/", None, {O, A, M}),
    ("get", "/settings/", None, {O, A, M}),
    ("get", "/billing/", None, {O, A, M}),
    ("get", "/api/v1/projects/", None, {O, A, M}),
    ("post", "/members/invite/", {"email": "new@acme.test", "role": "member"}, {O, A}),
    ("get", "/developers/api-keys/", None, {O, A}),
    ("post", "/developers/api-keys/", {"name": "k", "scope": "read"}, {O, A}),
    ("get", "/developers/webhooks/", None, {O, A}),
    (
        "post",
        "/developers/webhooks/",
        {"url": "http://127.0.0.1:9/h", "events": "task.created"},
        {O, A},
    ),  # fmt: skip
    ("get", "/settings/export/", None, {O, A}),
    ("post", "/settings/export/", None, {O, A}),
    ("post", "/settings/name/", {"name": "Renamed"}, {O}),
    ("post", "/settings/channel/", {"channel": "beta"}, {O}),
    ("post", "/billing/checkout/starter/", None, {O}),
    ("post", "/billing/portal/", None, {O}),
]


@pytest.fixture
def as_role(acme, run_on_commit):
    def client(role: str):
        if role == O:
            return acme.client()
        return acme.client_as(acme.add_member(f"{role}@acme.test", role=role))

    return client


@pytest.mark.parametrize("role", [O, A, M])
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
    assert as_role(O).get("/admin/").status_code == 200
    for role in (A, M):
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
