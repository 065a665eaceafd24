"""Stripe events through a real worker: a worker killed mid-event loses nothing, and the event
is processed exactly once after a restart."""

from __future__ import annotations

import re
import signal

import pytest

from billing.models import Plan, StripeEvent, Subscription
from billing.services import checkout_start
from tests.billing.conftest import WEBHOOK_SECRET, post_webhook
from tests.e2e.conftest import WORKER_ARGS, process_env, wait_until
from tests.fakes.stripe_server import FakeStripeServer

pytestmark = pytest.mark.e2e
WORKER = ["celery", *WORKER_ARGS]


@pytest.fixture
def fake_stripe(settings):
    with FakeStripeServer() as server:
        settings.STRIPE_SECRET_KEY = "sk_test_awan"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = server.url
        server.state.price("price_starter_test")
        yield server


def test_worker_killed_mid_event_processes_it_once_after_restart(
    seeded_tenants, live_db, start_process, fake_stripe
):
    acme = seeded_tenants["acme"]
    state = fake_stripe.state
    Plan.objects.filter(key="starter").update(stripe_price_id="price_starter_test")
    before = Subscription.objects.get(tenant=acme.tenant)
    try:
        checkout_start(
            tenant=acme.tenant,
            plan=Plan.objects.get(key="starter"),
            email=acme.owner_email,
            success_url="http://x/",
            cancel_url="http://x/",
        )
        session, _ = state.complete_checkout(next(iter(state.sessions)))
        event = state.event("checkout.session.completed", session)
        env = process_env(
            STRIPE_SECRET_KEY="sk_test_awan",
            STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
            STRIPE_API_BASE=fake_stripe.url,
            # Re-deliver unacknowledged messages after 3 s, scanning every second.
            CELERY_VISIBILITY_TIMEOUT="3",
            CELERY_UNACKED_RESTORE_INTERVAL="1",
            CELERY_UNACKED_RESTORE_THROTTLE="1",
        )
        state.slow_retrieve_seconds = 60  # the handler will hang inside its Stripe call
        first = start_process(WORKER, name="billing-worker-1", env=env)
        wait_until(lambda: "ready." in first.output(), timeout=30, what="worker 1")

        assert post_webhook(event).status_code == 200
        wait_until(
            lambda: any(r.path.startswith("/v1/subscriptions/") for r in state.requests),
            timeout=30,
            what="worker 1 to be inside the handler",
        )
        first.stop(sig=signal.SIGKILL)

        stuck = StripeEvent.objects.get(id=event["id"])
        assert (stuck.status, stuck.attempts) == (StripeEvent.Status.PENDING, 0)
        assert Subscription.objects.get(tenant=acme.tenant).status == Subscription.Status.TRIALING

        state.slow_retrieve_seconds = 0
        second = start_process(WORKER, name="billing-worker-2", env=env)

        def processed() -> bool:
            return StripeEvent.objects.get(id=event["id"]).status == StripeEvent.Status.PROCESSED

        wait_until(processed, timeout=60, what="worker 2 to process the re-delivered event")
        done = StripeEvent.objects.get(id=event["id"])
        assert done.attempts == 1
        row = Subscription.objects.get(tenant=acme.tenant)
        assert (row.status, row.plan.key) == (Subscription.Status.ACTIVE, "starter")
        second.wait_for_line(
            re.escape(f"stripe event {event['id']} (checkout.session.completed) processed")
        )
    finally:
        Plan.objects.filter(key="starter").update(stripe_price_id="")
        StripeEvent.objects.all().delete()
        Subscription.objects.filter(pk=before.pk).update(
            status=before.status,
            plan=None,
            stripe_customer_id="",
            stripe_subscription_id="",
            stripe_synced_at=None,
            current_period_end=None,
            stripe_request_seq=0,
        )


def test_beat_enqueues_the_trial_sweep_and_a_worker_expires_ended_trials(
    seeded_tenants, live_db, start_process
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.e2e.conftest import BIN, ROOT

    globex = seeded_tenants["globex"]
    before = Subscription.objects.get(tenant=globex.tenant)
    Subscription.objects.filter(pk=before.pk).update(
        trial_end=timezone.now() - timedelta(minutes=1)
    )
    try:
        honcho = start_process(
            [str(BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"), "beat", "worker"],
            name="honcho-beat",
            env=process_env(TRIAL_SWEEP_SECONDS="2"),
        )

        def expired() -> bool:
            return Subscription.objects.get(pk=before.pk).status == Subscription.Status.EXPIRED

        wait_until(expired, timeout=60, what="beat + worker to expire the ended trial")
        wait_until(
            lambda: "Subject: Your Awan trial has ended" in honcho.output(),
            timeout=30,
            what="the trial-ended email",
        )
        log = honcho.output()
        assert "Sending due task trial-sweep (billing.tasks.billing_trial_sweep)" in log
        assert log.count("Subject: Your Awan trial has ended") == 1
    finally:
        Subscription.objects.filter(pk=before.pk).update(
            status=before.status, trial_end=before.trial_end
        )
