"""Release channels and feature flags."""

from __future__ import annotations

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from core_app.tasks import insights_digest_send
from tenants import errors
from tenants.channels import ChannelPinned, channel_pin, channel_set, feature_override_set
from tenants.flags import GENERAL, REGISTRY, Feature, feature, feature_enabled
from tenants.models import ChannelChange, Tenant
from tests.conftest import operator_verified


def _tenant(info) -> Tenant:
    return Tenant.objects.get(pk=info.tenant.pk)


def _operator_client(public_client):
    operator = get_user_model().objects.create_superuser(
        "root", "root@awan.test", "operator-password-1"
    )
    return operator_verified(public_client, operator)


def test_tenants_start_on_stable(acme):
    assert _tenant(acme).channel == Tenant.Channel.STABLE


def test_owner_opts_in_and_out_on_the_settings_page_with_history(acme):
    client = acme.client()
    page = client.get("/settings/").content.decode()
    assert "Join the beta channel" in page and "insights" in page

    client.post("/settings/channel/", {"channel": "beta"})
    assert _tenant(acme).channel == "beta"
    client.post("/settings/channel/", {"channel": "stable"})

    history = list(ChannelChange.objects.filter(tenant=acme.tenant).order_by("id"))
    assert [(h.from_channel, h.to_channel) for h in history] == [
        ("stable", "beta"),
        ("beta", "stable"),
    ]
    assert history[0].actor == f"owner:{acme.owner_email}"
    assert history[0].created is not None and history[0].reason


def test_a_member_who_is_not_the_owner_cannot_change_the_channel(acme):
    with schema_context(acme.schema):
        member = get_user_model().objects.create_user("m@acme.test", "m@acme.test", "x" * 20)
    client = type(acme.client())(HTTP_HOST=acme.host)
    with schema_context(acme.schema):
        client.force_login(member)
    page = client.post("/settings/channel/", {"channel": "beta"}, follow=True)
    assert html.escape(errors.CHANNEL_OWNER_ONLY) in page.content.decode()
    assert _tenant(acme).channel == "stable"


def test_pinned_tenant_owner_cannot_opt_in(acme):
    channel_pin(tenant=acme.tenant, pinned=True, actor="operator:root", reason="regulated")
    page = (
        acme.client().post("/settings/channel/", {"channel": "beta"}, follow=True).content.decode()
    )
    assert html.escape(errors.CHANNEL_PINNED) in page
    assert _tenant(acme).channel == "stable"
    assert "kept on the stable channel" in acme.client().get("/settings/").content.decode()


def test_pinning_a_beta_tenant_moves_it_back_to_stable(acme):
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    channel_pin(tenant=acme.tenant, pinned=True, actor="operator:root")
    row = _tenant(acme)
    assert (row.channel, row.channel_pinned) == ("stable", True)
    with pytest.raises(ChannelPinned):
        channel_set(tenant=row, channel="beta", actor="operator:root")


def test_operator_bulk_actions_in_the_public_admin(public_client, acme, globex):
    client = _operator_client(public_client)
    channel_pin(tenant=globex.tenant, pinned=True, actor="operator:root")

    response = client.post(
        "/admin/tenants/tenant/",
        {"action": "move_to_beta", "_selected_action": [acme.tenant.pk, globex.tenant.pk]},
        follow=True,
    )

    assert _tenant(acme).channel == "beta"
    assert _tenant(globex).channel == "stable"  # pinned: skipped, and said so
    assert "Skipped, pinned to stable: globex" in response.content.decode()
    assert ChannelChange.objects.filter(tenant=acme.tenant, actor="operator:root").exists()


def test_operator_tenant_list_filters_by_channel(public_client, acme, globex):
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    page = _operator_client(public_client).get("/admin/tenants/tenant/?channel__exact=beta")
    names = [t.subdomain for t in page.context["cl"].result_list]
    assert names == ["acme"]


def test_operator_overrides_a_feature_for_one_tenant_in_the_admin(public_client, acme, globex):
    client = _operator_client(public_client)
    form = client.get(f"/admin/tenants/tenant/{acme.tenant.pk}/change/").context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data.update(
        {
            "name": "Acme Inc",
            "status": "active",
            "channel": "stable",
            "feature_insights": "on",
            "domains-TOTAL_FORMS": "0",
            "domains-INITIAL_FORMS": "0",
            "channel_changes-TOTAL_FORMS": "0",
            "channel_changes-INITIAL_FORMS": "0",
        }
    )
    data.pop("channel_pinned", None)

    response = client.post(f"/admin/tenants/tenant/{acme.tenant.pk}/change/", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert _tenant(acme).feature_overrides == {"insights": True}
    assert feature_enabled(_tenant(acme), "insights")
    assert not feature_enabled(_tenant(globex), "insights")


def test_set_channel_command_moves_pins_and_records(acme):
    call_command("set_channel", "acme", "beta", "--reason", "early adopter")
    assert _tenant(acme).channel == "beta"
    call_command("set_channel", "acme", "stable", "--pin")
    assert (_tenant(acme).channel, _tenant(acme).channel_pinned) == ("stable", True)
    with pytest.raises(CommandError, match="pinned to stable"):
        call_command("set_channel", "acme", "beta")
    call_command("set_channel", "acme", "beta", "--unpin")
    assert _tenant(acme).channel == "beta"
    actors = set(ChannelChange.objects.filter(tenant=acme.tenant).values_list("actor", flat=True))
    assert actors == {"command:set_channel"}
    assert ChannelChange.objects.filter(reason="early adopter").count() == 1


def test_set_channel_command_rejects_unknown_tenant_and_channel(acme):
    with pytest.raises(CommandError, match="No tenant"):
        call_command("set_channel", "nosuch", "beta")
    with pytest.raises(CommandError):
        call_command("set_channel", "acme", "alpha")


# --- flags -----------------------------------------------------------------------------


def test_beta_url_is_404_on_stable_and_served_on_beta(acme):
    client = acme.client()
    assert client.get("/insights/").status_code == 404
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    assert client.get("/insights/").status_code == 200
    channel_set(tenant=acme.tenant, channel="stable", actor="test")
    assert client.get("/insights/").status_code == 404  # the next request sees it: no stale cache


def test_beta_tenant_sees_the_feature_in_the_navigation(acme):
    client = acme.client()
    assert 'href="/insights/"' not in client.get("/").content.decode()
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    page = client.get("/").content.decode()
    assert 'href="/insights/"' in page
    assert ">Beta<" in page


def test_flag_in_the_api(acme):
    client = acme.client()
    assert client.get("/api/v1/features/").json() == {
        "channel": "stable",
        "features": {"insights": False},
    }
    assert client.get("/api/v1/insights/").status_code == 404
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    assert client.get("/api/v1/features/").json()["features"] == {"insights": True}
    assert len(client.get("/api/v1/insights/").json()["days"]) == 14


def test_api_requires_login(acme):
    assert acme.client(logged_in=False).get("/api/v1/projects/").status_code == 401


def test_flag_in_a_template_tag(acme):
    request = RequestFactory().get("/")
    template = Template('{% load flags %}{% feature_enabled "insights" as on %}{{ on }}')
    request.tenant = _tenant(acme)
    assert template.render(Context({"request": request})) == "False"
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    request.tenant = _tenant(acme)
    assert template.render(Context({"request": request})) == "True"


def test_flag_in_a_celery_task(acme, globex, mailoutbox):
    channel_set(tenant=acme.tenant, channel="beta", actor="test")

    sent_acme = insights_digest_send.apply(kwargs={"schema_name": acme.schema}).get()
    sent_globex = insights_digest_send.apply(kwargs={"schema_name": globex.schema}).get()

    assert (sent_acme, sent_globex) == (True, False)
    assert [m.to for m in mailoutbox] == [[acme.owner_email]]


def test_checking_many_flags_costs_no_queries(acme):
    tenant = _tenant(acme)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(50):
            feature_enabled(tenant, "insights")
    assert len(queries) == 0


def test_checking_flags_in_templates_adds_no_queries_once_the_request_has_its_tenant(acme):
    template = Template(
        "{% load flags %}" + '{% feature_enabled "insights" as x %}{{ features.insights }}' * 20
    )
    request = RequestFactory().get("/")
    request.tenant = _tenant(acme)
    from tenants.flags import FeatureSet

    with CaptureQueriesContext(connection) as queries:
        template.render(Context({"request": request, "features": FeatureSet(request.tenant)}))
    assert len(queries) == 0


def test_one_tenants_channel_and_overrides_never_affect_another(acme, globex):
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    feature_override_set(tenant=acme.tenant, key="insights", enabled=True, actor="test")
    assert feature_enabled(_tenant(acme), "insights")
    assert not feature_enabled(_tenant(globex), "insights")
    assert globex.client().get("/insights/").status_code == 404


def test_operator_override_beats_the_channel_both_ways(acme):
    feature_override_set(tenant=acme.tenant, key="insights", enabled=True, actor="test")
    assert acme.client().get("/insights/").status_code == 200
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    feature_override_set(tenant=acme.tenant, key="insights", enabled=False, actor="test")
    assert acme.client().get("/insights/").status_code == 404


def test_promoting_a_feature_to_general_turns_it_on_for_stable_tenants(acme):
    promoted = Feature(key="insights", description="", stage=GENERAL)
    original = REGISTRY["insights"]
    REGISTRY["insights"] = promoted
    try:
        assert feature_enabled(_tenant(acme), "insights")
    finally:
        REGISTRY["insights"] = original


def test_declaring_a_feature_twice_is_an_error():
    with pytest.raises(ValueError, match="declared twice"):
        feature("insights", "again", stage=GENERAL)


def test_unknown_flag_is_a_programming_error(acme):
    with pytest.raises(KeyError):
        feature_enabled(_tenant(acme), "no-such-flag")


def test_insights_chart_counts_this_tenants_tasks_only(acme, globex):
    from django.utils import timezone

    from tests.factories import ProjectFactory, TaskFactory

    with schema_context(acme.schema):
        project = ProjectFactory()
        TaskFactory.create_batch(3, project=project)
        TaskFactory(project=project, done=True, completed_at=timezone.now())
    with schema_context(globex.schema):
        TaskFactory.create_batch(7)
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    channel_set(tenant=globex.tenant, channel="beta", actor="test")

    acme_days = acme.client().get("/api/v1/insights/").json()["days"]
    globex_days = globex.client().get("/api/v1/insights/").json()["days"]

    assert (sum(d["created"] for d in acme_days), sum(d["completed"] for d in acme_days)) == (4, 1)
    assert sum(d["created"] for d in globex_days) == 7
    page = acme.client().get("/insights/").content.decode()
    assert "<svg" in page and "4</b> created" in page


def test_class_based_views_use_the_mixin_with_the_same_rule(acme):
    from django.http import HttpResponse
    from django.views import View

    from tenants.flags import FeatureRequiredMixin

    class InsightsView(FeatureRequiredMixin, View):
        feature_key = "insights"

        def get(self, request):
            return HttpResponse("insights")

    request = RequestFactory().get("/")
    request.tenant = _tenant(acme)
    refused = InsightsView.as_view()(request)
    assert refused.status_code == 404
    assert "Insights is a beta feature" in refused.content.decode()
    channel_set(tenant=acme.tenant, channel="beta", actor="test")
    request.tenant = _tenant(acme)
    assert InsightsView.as_view()(request).content == b"insights"


def test_a_beta_page_explains_itself_and_tells_a_pinned_workspace_the_truth(acme):
    from tenants import errors

    page = acme.client().get("/insights/")
    assert page.status_code == 404
    assert errors.FEATURE_BETA_ONLY.format(feature="Insights") in page.content.decode().replace(
        "&#x27;", "'"
    )
    channel_pin(tenant=acme.tenant, pinned=True, actor="test")
    pinned = acme.client().get("/insights/")
    assert pinned.status_code == 404
    assert errors.FEATURE_BETA_ONLY_PINNED.format(feature="Insights") in (
        pinned.content.decode().replace("&#x27;", "'")
    )
    api = acme.client().get("/api/v1/insights/")
    assert api.status_code == 404 and api.json()["error"] == "feature_unavailable"
