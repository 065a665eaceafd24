"""Plan limits hold under concurrency and in every door that adds rows: the pages, and each
tenant's own Django admin. One locked check (billing.services.plan_limit_hold) decides."""

from __future__ import annotations

import html
import threading

from django.contrib.auth import get_user_model
from django.db import connection, connections
from django_tenants.utils import schema_context

from billing.models import Plan, Subscription
from core_app.models import Project
from tenants.services import tenant_signup
from tests.conftest import PASSWORD, TenantInfo


def _on_plan(info: TenantInfo, key: str) -> None:
    Subscription.objects.filter(tenant=info.tenant).update(
        plan=Plan.objects.get(key=key), status=Subscription.Status.ACTIVE
    )


def test_eight_concurrent_new_project_posts_on_starter_leave_exactly_three(live_db):
    result = tenant_signup(
        name="Racing Co", subdomain="racing-co", owner_email="o@racing.test", password=PASSWORD
    )
    info = TenantInfo(result.tenant, result.owner_id, "o@racing.test")
    connection.set_schema_to_public()
    _on_plan(info, "starter")
    clients = [info.client() for _ in range(8)]
    connection.set_schema_to_public()
    barrier = threading.Barrier(len(clients))
    statuses: list[int] = []

    def post(client, n):
        try:
            barrier.wait()
            statuses.append(client.post("/projects/new/", {"name": f"P{n}"}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post, args=(c, n)) for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with schema_context(info.schema):
        assert Project.objects.count() == 3
    assert sorted(statuses) == [302] * 3 + [400] * 5


def _admin_add_user(info: TenantInfo, email: str):
    return info.client().post(
        "/admin/auth/user/add/",
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "_save": "Save"},
    )


def _user_count(info: TenantInfo) -> int:
    with schema_context(info.schema):
        return get_user_model().objects.filter(is_active=True).count()


def test_the_tenant_admins_add_user_respects_max_members(acme):
    _on_plan(acme, "starter")  # 3 members
    assert _admin_add_user(acme, "two@acme.test").status_code == 302
    assert _admin_add_user(acme, "three@acme.test").status_code == 302
    refused = _admin_add_user(acme, "four@acme.test")

    assert refused.status_code == 400
    assert "Your Starter plan allows 3 members" in html.unescape(refused.content.decode())
    assert _user_count(acme) == 3


def test_a_user_added_in_the_tenant_admin_signs_in_by_email(acme):
    assert _admin_add_user(acme, "Admin.Added@Acme.test").status_code == 302
    login = acme.client(logged_in=False).post(
        "/login/", {"username": "admin.added@acme.test", "password": PASSWORD}
    )
    assert login.status_code == 302


def test_reactivating_a_user_in_the_tenant_admin_counts_against_the_plan(acme):
    _on_plan(acme, "starter")
    ids = [acme.add_member(f"m{n}@acme.test") for n in range(2)]
    with schema_context(acme.schema):
        get_user_model().objects.filter(pk=ids[0]).update(is_active=False)
    acme.add_member("m9@acme.test")  # the third seat is taken again
    with schema_context(acme.schema):
        user = get_user_model().objects.get(pk=ids[0])
    form = acme.client().get(f"/admin/auth/user/{user.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if k in form.fields and v is not None}
    data.update(is_active="on", groups=[], user_permissions=[], _save="Save")
    for key in ("is_staff", "is_superuser"):
        data.pop(key, None)
    acme.client().post(f"/admin/auth/user/{user.pk}/change/", data)
    assert _user_count(acme) == 3
