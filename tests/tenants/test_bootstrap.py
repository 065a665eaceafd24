"""`tenants_bootstrap --demo`: the demo workspace a newcomer opens first isn't empty."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django_tenants.utils import schema_context

from core_app.models import Project, Task
from tenants.models import Tenant


def test_the_demo_workspace_starts_with_sample_projects_once(seeded_tenants, live_db, settings):
    settings.SITE_URL = "http://localhost:9876"
    out = StringIO()
    call_command("tenants_bootstrap", "--demo", stdout=out)
    call_command("tenants_bootstrap", "--demo", stdout=StringIO())  # a second `make run`

    assert Tenant.objects.filter(subdomain="demo").count() == 1
    with schema_context("t_demo"):
        assert Project.objects.count() == 2
        assert Task.objects.count() == 7
        assert Task.objects.filter(done=True).count() == 3
        assert Task.objects.exclude(notes="").exists()
    printed = out.getvalue()
    assert "public site:  http://localhost:9876/" in printed
    assert "demo tenant:  http://demo.localhost:9876/" in printed


def test_a_known_operator_login_exists_only_where_debug_is_on(seeded_tenants, db, settings):
    from django.contrib.auth import get_user_model

    settings.DEBUG = False
    out = StringIO()
    call_command("tenants_bootstrap", "--demo", stdout=out)
    assert not get_user_model().objects.filter(username="operator").exists()
    assert "skipped (DEBUG is off)" in out.getvalue()

    settings.DEBUG = True
    out = StringIO()
    call_command("tenants_bootstrap", "--demo", stdout=out)
    operator = get_user_model().objects.get(username="operator")
    assert operator.is_staff and operator.check_password("awan-operator-password")
    assert "/console/  login operator / awan-operator-password" in out.getvalue()
