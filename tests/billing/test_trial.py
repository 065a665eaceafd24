from __future__ import annotations

import html
import threading
from datetime import timedelta

import pytest
from django.db import connections, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from billing import errors
from billing.models import Subscription, TrialReminder
from billing.selectors import billing_state_for
from billing.services import PlanLimitReached
from billing.trials import trial_sweep
from core_app.models import Export, Project
from tests.factories import ProjectFactory


def _set_trial_end(tenant, **delta) -> Subscription:
    sub = Subscription.objects.get(tenant=tenant)
    sub.trial_end = timezone.now() + timedelta(**delta)
    sub.save()
    return sub


def _shows(response, message: str) -> bool:
    return html.escape(message) in response.content.decode()


def test_signup_starts_a_30_day_trial_without_a_card(public_client):
    public_client.post(
        "/signup/",
        {
            "organization_name": "Trial Co",
            "subdomain": "trial-co",
            "email": "t@trial.test",
            "password": "a-long-trial-password",
        },
    )
    sub = Subscription.objects.get(tenant__subdomain="trial-co")
    assert sub.status == Subscription.Status.TRIALING
    assert sub.stripe_customer_id == ""
    days = (sub.trial_end - timezone.now()).total_seconds() / 86400
    assert 29.99 < days <= 30


@pytest.mark.parametrize(
    ("delta", "days_left"), [({"days": 30}, 30), ({"days": 6, "hours": 1}, 7), ({"hours": 2}, 1)]
)
def test_banner_shows_days_left(acme, delta, days_left):
    _set_trial_end(acme.tenant, **delta)
    page = acme.client().get("/").content.decode()
    plural = "s" if days_left != 1 else ""
    assert f"{days_left} day{plural} left" in page


def test_each_reminder_goes_out_once_even_when_the_sweep_runs_twice(acme, globex, mailoutbox):
    _set_trial_end(acme.tenant, days=6)
    _set_trial_end(globex.tenant, days=20)

    first = trial_sweep()
    second = trial_sweep()

    assert [(days) for _, _, days in first.reminders] == [7]
    assert second.reminders == []
    assert (
        TrialReminder.objects.filter(subscription__tenant=acme.tenant, days_before=7).count() == 1
    )
    assert not TrialReminder.objects.filter(subscription__tenant=globex.tenant).exists()


def test_reminders_follow_the_clock_7_then_3_then_1(acme):
    sub = _set_trial_end(acme.tenant, days=30)
    sent = []
    for days_before_end in (10, 6.5, 5, 2.5, 2, 0.5, 0.1):
        now = sub.trial_end - timedelta(days=days_before_end)
        sent += [
            days for _, schema, days in trial_sweep(now=now).reminders if schema == acme.schema
        ]
    assert sent == [7, 3, 1]


def test_a_late_sweep_sends_only_the_reminder_still_relevant(acme):
    _set_trial_end(acme.tenant, hours=12)
    assert [(s, days) for _, s, days in trial_sweep().reminders] == [(acme.schema, 1)]


def test_concurrent_sweeps_claim_each_reminder_exactly_once(live_db, seeded_tenants):
    acme = seeded_tenants["acme"]
    original = Subscription.objects.get(tenant=acme.tenant).trial_end
    _set_trial_end(acme.tenant, days=2)
    results, barrier = [], threading.Barrier(4)

    def sweep() -> None:
        barrier.wait()
        results.append(trial_sweep())
        connections.close_all()

    try:
        threads = [threading.Thread(target=sweep) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        claimed = [r for result in results for r in result.reminders if r[1] == acme.schema]
        assert len(results) == 4
        assert len(claimed) == 1
        assert TrialReminder.objects.filter(subscription__tenant=acme.tenant).count() == 1
    finally:
        TrialReminder.objects.filter(subscription__tenant=acme.tenant).delete()
        Subscription.objects.filter(tenant=acme.tenant).update(trial_end=original)


def test_reminder_email_is_sent_once_by_its_task(acme, mailoutbox):
    from billing.tasks import trial_reminder_email_send

    _set_trial_end(acme.tenant, days=3)
    ((reminder_id, schema, _days),) = trial_sweep().reminders
    trial_reminder_email_send.apply(kwargs={"schema_name": schema, "reminder_id": reminder_id})
    trial_reminder_email_send.apply(kwargs={"schema_name": schema, "reminder_id": reminder_id})

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "Your Awan trial ends in 3 days"
    assert mailoutbox[0].to == [acme.owner_email]
    assert "http://acme.localhost:8000/billing/" in mailoutbox[0].body  # SITE_URL gives the port


def test_sweep_expires_ended_trials_set_based(acme, globex):
    _set_trial_end(acme.tenant, hours=-1)
    result = trial_sweep()
    assert [schema for _, schema in result.expired] == [acme.schema]
    assert Subscription.objects.get(tenant=acme.tenant).status == Subscription.Status.EXPIRED
    assert Subscription.objects.get(tenant=globex.tenant).status == Subscription.Status.TRIALING
    assert trial_sweep().expired == []


@pytest.fixture
def expired_acme(acme):
    with schema_context(acme.schema):
        project = ProjectFactory(name="Kept safe")
    _set_trial_end(acme.tenant, days=-1)
    trial_sweep()
    return acme, project


def test_expired_trial_makes_writes_refused_with_a_pointer_to_billing(expired_acme):
    acme, project = expired_acme
    client = acme.client()

    refused = client.post("/projects/new/", {"name": "New work"})
    edit = client.post(f"/projects/{project.pk}/edit/", {"name": "Changed"})

    assert refused.status_code == 403 and edit.status_code == 403
    assert _shows(refused, errors.READ_ONLY.format(reason=errors.READ_ONLY_TRIAL_ENDED))
    assert 'href="/billing/"' in refused.content.decode()
    with schema_context(acme.schema):
        assert list(Project.objects.values_list("name", flat=True)) == ["Kept safe"]


def test_expired_trial_still_reads_and_exports(expired_acme):
    acme, project = expired_acme
    client = acme.client()

    assert client.get("/").status_code == 200
    assert "read-only" in client.get(f"/projects/{project.pk}/").content.decode()
    assert client.post(f"/projects/{project.pk}/exports/").status_code == 302
    with schema_context(acme.schema):
        assert Export.objects.filter(project=project).count() == 1


def test_read_only_starts_the_moment_the_trial_ends_even_before_a_sweep(acme):
    _set_trial_end(acme.tenant, seconds=-5)
    assert acme.client().post("/projects/new/", {"name": "x"}).status_code == 403


def test_read_only_tenant_can_still_log_in_and_out(expired_acme):
    acme, _ = expired_acme
    from tests.conftest import PASSWORD

    login = acme.client(logged_in=False).post(
        "/login/", {"username": acme.owner_email, "password": PASSWORD}
    )
    assert login.status_code == 302


def test_other_tenants_stay_writable_when_one_expires(expired_acme, globex):
    assert globex.client().post("/projects/new/", {"name": "Globex work"}).status_code == 302


def test_plan_limit_is_enforced_with_a_clear_message(acme):
    sub = Subscription.objects.get(tenant=acme.tenant)
    from billing.models import Plan

    sub.plan = Plan.objects.get(key="starter")
    sub.status = Subscription.Status.ACTIVE
    sub.save()
    client = acme.client()
    for n in range(3):
        assert client.post("/projects/new/", {"name": f"P{n}"}).status_code == 302

    fourth = client.post("/projects/new/", {"name": "P4"})

    assert fourth.status_code == 400
    assert _shows(
        fourth, "Your Starter plan allows 3 projects. Upgrade on the billing page to add more."
    )
    with schema_context(acme.schema):
        assert Project.objects.count() == 3


def test_trial_uses_the_trial_plans_limits(acme):
    state = billing_state_for(tenant=acme.tenant)
    assert state.trialing and state.plan.key == "team"
    with (
        schema_context(acme.schema),
        transaction.atomic(),
        pytest.raises(PlanLimitReached) as raised,
    ):
        from billing.services import plan_limit_hold

        plan_limit_hold(tenant=acme.tenant, limit="max_projects", count=lambda: 25)
    assert "Your trial (with Team features) allows 25 projects" in raised.value.message


def test_trial_ended_email_is_sent_once_even_if_its_task_runs_twice(acme, mailoutbox):
    from billing.tasks import trial_ended_email_send

    _set_trial_end(acme.tenant, hours=-1)
    ((subscription_id, schema),) = trial_sweep().expired
    for _ in range(2):
        trial_ended_email_send.apply(
            kwargs={"schema_name": schema, "subscription_id": subscription_id}
        )

    assert [m.subject for m in mailoutbox] == ["Your Awan trial has ended"]
    assert "http://acme.localhost:8000/billing/" in mailoutbox[0].body


def _queued_messages() -> list[dict]:
    import json

    from config import kv

    return [json.loads(raw) for raw in kv.client().lrange("celery", 0, -1)]


def test_a_catch_up_sweep_enqueues_thousands_of_emails_as_a_few_batches(
    seeded_tenants, db, django_capture_on_commit_callbacks
):
    from tenants.models import Tenant

    tenants = Tenant.objects.bulk_create(
        Tenant(name=f"Bulk {n}", subdomain=f"bulk-{n}", schema_name=f"t_bulk_{n}")
        for n in range(600)
    )
    Subscription.objects.bulk_create(
        Subscription(tenant=t, status="trialing", trial_end=timezone.now() + timedelta(hours=20))
        for t in tenants
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = trial_sweep()

    assert len(result.reminders) == 600
    tasks = [m["headers"]["task"] for m in _queued_messages()]
    assert tasks == ["billing.tasks.trial_emails_send"] * 3  # 250 + 250 + 100


def test_a_batch_sends_each_email_in_its_own_tenant_and_skips_a_suspended_one(
    acme, globex, mailoutbox
):
    from billing.tasks import trial_emails_send
    from tenants.lifecycle import tenant_suspend

    for info in (acme, globex):
        _set_trial_end(info.tenant, hours=20)
    reminders = trial_sweep().reminders
    tenant_suspend(tenant=globex.tenant, reason="test", actor="test")
    sent = trial_emails_send.apply(
        kwargs={"reminders": [[schema, rid] for rid, schema, _ in reminders]}
    ).get()

    assert sent == 1
    assert [m.to for m in mailoutbox] == [[acme.owner_email]]
