from __future__ import annotations

import random
import time

import pytest
from django.utils import timezone

from billing.models import Plan, StripeEvent, Subscription
from billing.webhooks import HANDLERS, stripe_event_process, stripe_events_due_for_retry
from tests.billing.conftest import deliver, post_webhook


@pytest.fixture
def paying_acme(acme, stripe):
    """acme went through Checkout for Starter: Stripe holds an active subscription."""
    acme.client().post("/billing/checkout/starter/")
    session_id = next(iter(stripe.sessions))
    session, sub = stripe.complete_checkout(session_id)
    return acme, session, sub


def _row(info) -> Subscription:
    return Subscription.objects.get(tenant=info.tenant)


def test_forged_signature_is_rejected_and_nothing_is_stored(stripe):
    event = stripe.event("customer.subscription.updated", {"id": "sub_x", "object": "subscription"})
    response = post_webhook(event, secret="whsec_wrong")
    assert response.status_code == 400
    assert not StripeEvent.objects.filter(id=event["id"]).exists()


def test_stale_timestamp_is_rejected_and_nothing_is_stored(stripe):
    event = stripe.event("customer.subscription.updated", {"id": "sub_x", "object": "subscription"})
    response = post_webhook(event, timestamp=int(time.time()) - 3600)
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_unsigned_or_garbage_payload_is_rejected(stripe, client):
    response = client.post(
        "/billing/webhooks/stripe/",
        data=b"not json",
        content_type="application/json",
        HTTP_HOST="localhost",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_unknown_event_type_is_recorded_and_acknowledged(stripe):
    event = stripe.event("customer.tax_id.created", {"id": "txi_1", "object": "tax_id"})
    response = post_webhook(event)
    assert response.status_code == 200
    assert StripeEvent.objects.get(id=event["id"]).status == StripeEvent.Status.IGNORED


def test_checkout_session_completed_activates_the_plan(paying_acme, stripe):
    acme, session, _ = paying_acme
    record = deliver(stripe.event("checkout.session.completed", session))

    assert record.status == StripeEvent.Status.PROCESSED
    row = _row(acme)
    assert (row.status, row.plan.key) == (Subscription.Status.ACTIVE, "starter")
    assert row.current_period_end is not None


def test_subscription_created_links_by_customer_and_activates(paying_acme, stripe):
    acme, _, sub = paying_acme
    deliver(stripe.event("customer.subscription.created", sub))
    assert _row(acme).stripe_subscription_id == sub["id"]
    assert _row(acme).status == Subscription.Status.ACTIVE


def test_subscription_updated_changes_the_plan(paying_acme, stripe):
    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    updated = stripe.update_subscription(sub["id"], price="price_biz_test")
    deliver(stripe.event("customer.subscription.updated", updated))
    assert _row(acme).plan == Plan.objects.get(key="business")


def test_subscription_deleted_cancels_and_read_only_follows_the_period_end(paying_acme, stripe):
    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    ended = stripe.update_subscription(
        sub["id"], status="canceled", current_period_end=int(time.time()) - 60
    )
    ended["items"]["data"][0]["current_period_end"] = ended["current_period_end"]
    stripe.subscriptions[sub["id"]]["items"]["data"][0]["current_period_end"] = ended[
        "current_period_end"
    ]

    deliver(stripe.event("customer.subscription.deleted", ended))

    assert _row(acme).status == Subscription.Status.CANCELED
    assert acme.client().post("/projects/new/", {"name": "x"}).status_code == 403


def test_cancel_at_period_end_keeps_the_tenant_writable_until_then(paying_acme, stripe):
    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    deliver(
        stripe.event(
            "customer.subscription.updated",
            stripe.update_subscription(sub["id"], cancel_at_period_end=True),
        )
    )
    row = _row(acme)
    assert row.cancel_at_period_end and row.status == Subscription.Status.ACTIVE
    page = acme.client().get("/")
    assert "ends on" in page.content.decode()
    assert acme.client().post("/projects/new/", {"name": "still fine"}).status_code == 302


def test_trial_will_end_is_handled(paying_acme, stripe):
    acme, _, sub = paying_acme
    record = deliver(stripe.event("customer.subscription.trial_will_end", sub))
    assert record.status == StripeEvent.Status.PROCESSED
    assert _row(acme).stripe_subscription_id == sub["id"]


def test_invoice_payment_failed_shows_the_payment_banner_and_invoice_paid_clears_it(
    paying_acme, stripe
):
    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))

    stripe.update_subscription(sub["id"], status="past_due")
    deliver(stripe.event("invoice.payment_failed", stripe.invoice(sub["id"], paid=False)))
    assert _row(acme).status == Subscription.Status.PAST_DUE
    assert "Your last payment failed" in acme.client().get("/").content.decode()

    stripe.update_subscription(sub["id"], status="active")
    deliver(stripe.event("invoice.paid", stripe.invoice(sub["id"], paid=True)))
    assert _row(acme).status == Subscription.Status.ACTIVE
    assert "Your last payment failed" not in acme.client().get("/").content.decode()


def test_duplicate_delivery_is_stored_and_processed_once(paying_acme, stripe):
    _acme, session, _ = paying_acme
    event = stripe.event("checkout.session.completed", session)
    deliver(event)
    retrieves_before = len([r for r in stripe.requests if r.path.startswith("/v1/subscriptions/")])

    again = post_webhook(event)
    stripe_event_process(event_id=event["id"])

    assert again.status_code == 200
    assert StripeEvent.objects.filter(id=event["id"]).count() == 1
    assert StripeEvent.objects.get(id=event["id"]).attempts == 1
    assert (
        len([r for r in stripe.requests if r.path.startswith("/v1/subscriptions/")])
        == retrieves_before
    )


def _lifecycle(stripe, session, sub) -> list[dict]:
    """created → checkout completed → paid → upgraded → payment failed → canceled: the
    events carry the object as it was, Stripe's current state is the last one."""
    events = [
        stripe.event("customer.subscription.created", sub),
        stripe.event("checkout.session.completed", session),
        stripe.event("invoice.paid", stripe.invoice(sub["id"], paid=True)),
    ]
    events.append(
        stripe.event(
            "customer.subscription.updated",
            stripe.update_subscription(sub["id"], price="price_team_test"),
        )
    )
    stripe.update_subscription(sub["id"], status="past_due")
    events.append(stripe.event("invoice.payment_failed", stripe.invoice(sub["id"], paid=False)))
    events.append(
        stripe.event(
            "customer.subscription.deleted",
            stripe.update_subscription(sub["id"], status="canceled"),
        )
    )
    return events


@pytest.mark.parametrize("order", ["forward", "reversed", "shuffled-1", "shuffled-2", "shuffled-3"])
def test_any_delivery_order_ends_in_stripes_final_state(paying_acme, stripe, order):
    acme, session, sub = paying_acme
    events = _lifecycle(stripe, session, sub)
    if order == "reversed":
        events.reverse()
    elif order.startswith("shuffled"):
        random.Random(order).shuffle(events)

    for event in events:
        assert deliver(event).status == StripeEvent.Status.PROCESSED

    row = _row(acme)
    assert row.status == Subscription.Status.CANCELED
    assert row.plan.key == "team"
    assert row.stripe_subscription_id == sub["id"]


def test_an_old_snapshot_never_overwrites_a_newer_one(paying_acme, stripe):
    from datetime import timedelta

    from django.utils import timezone

    from billing.services import subscription_apply_snapshot

    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    stale = dict(sub, status="past_due")
    subscription_apply_snapshot(stripe_sub=stale, observed_at=timezone.now() - timedelta(minutes=5))
    assert _row(acme).status == Subscription.Status.ACTIVE


def test_a_failing_handler_is_recorded_with_its_error_and_retried(paying_acme, stripe):
    acme, session, _ = paying_acme
    event = stripe.event("checkout.session.completed", session)
    assert post_webhook(event).status_code == 200
    stripe.fail_next = 10  # Stripe is down while the worker handles it

    with pytest.raises(Exception):  # noqa: B017 - the SDK's own error type
        stripe_event_process(event_id=event["id"])

    failed = StripeEvent.objects.get(id=event["id"])
    assert failed.status == StripeEvent.Status.FAILED
    assert failed.attempts == 1 and "fake outage" in failed.last_error
    StripeEvent.objects.filter(id=event["id"]).update(
        received_at=failed.received_at.replace(year=2000)
    )
    assert event["id"] in stripe_events_due_for_retry()

    stripe.fail_next = 0
    retried = stripe_event_process(event_id=event["id"])
    assert (retried.status, retried.attempts, retried.last_error) == (
        StripeEvent.Status.PROCESSED,
        2,
        "",
    )
    assert _row(acme).status == Subscription.Status.ACTIVE


def test_reconcile_resyncs_every_subscription_from_stripes_list(paying_acme, stripe):
    from billing.services import subscriptions_reconcile

    acme, session, sub = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    stripe.update_subscription(sub["id"], status="past_due")  # its webhook was "missed"

    assert subscriptions_reconcile() == 1
    assert _row(acme).status == Subscription.Status.PAST_DUE


def test_events_of_one_tenant_never_touch_another(paying_acme, globex, stripe):
    _acme, session, _ = paying_acme
    globex_before = _row(globex)
    deliver(stripe.event("checkout.session.completed", session))
    globex_after = _row(globex)
    assert (globex_after.status, globex_after.stripe_customer_id, globex_after.plan_id) == (
        globex_before.status,
        globex_before.stripe_customer_id,
        globex_before.plan_id,
    )


def test_the_handler_table_covers_the_documented_events():
    assert set(HANDLERS) == {
        "checkout.session.completed",
        "customer.subscription.created",
        "customer.subscription.updated",
        "customer.subscription.deleted",
        "customer.subscription.trial_will_end",
        "invoice.paid",
        "invoice.payment_failed",
    }


def test_a_signed_payload_that_is_not_an_event_is_rejected(stripe):
    response = post_webhook({"object": "event", "data": {}})
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


@pytest.mark.parametrize(
    "broken",
    [
        {"created": "yesterday"},
        {"created": True},
        {"created": 10**20},
        {"data": "not-an-object"},
        {"data": {"object": "sub_123"}},
        {"data": {}},
        {"type": ["customer.subscription.updated"]},
    ],
)
def test_a_signed_event_with_an_unusable_shape_is_a_400_and_stores_nothing(stripe, broken):
    event = stripe.event("customer.subscription.updated", {"id": "sub_x", "object": "subscription"})
    event.update(broken)
    response = post_webhook(event)
    assert response.status_code == 400
    assert StripeEvent.objects.count() == 0


def test_a_checkout_naming_another_tenant_cannot_take_over_its_billing(paying_acme, globex, stripe):
    """A Payment Link lets the payer choose client_reference_id: the attacker pays under their
    own customer and names globex. Globex's billing must not move to the attacker's customer."""
    from billing.gateway import stripe_id

    victim_before = _row(globex)
    attacker_customer = stripe.new_id("cus")
    stripe.customers[attacker_customer] = {"id": attacker_customer, "object": "customer"}
    sub = stripe._new_subscription(attacker_customer, "price_biz_test", {})
    forged = {
        "id": stripe.new_id("cs"),
        "object": "checkout.session",
        "mode": "subscription",
        "status": "complete",
        "client_reference_id": str(globex.tenant.pk),
        "customer": attacker_customer,
        "subscription": sub["id"],
    }

    record = deliver(stripe.event("checkout.session.completed", forged))

    assert record.status == StripeEvent.Status.PROCESSED
    victim = _row(globex)
    assert victim.stripe_customer_id == victim_before.stripe_customer_id == ""
    assert victim.stripe_subscription_id == ""
    assert (victim.status, victim.plan_id) == (victim_before.status, victim_before.plan_id)
    assert stripe_id(sub["customer"]) not in Subscription.objects.values_list(
        "stripe_customer_id", flat=True
    )


def test_a_subscription_whose_metadata_names_a_paying_tenant_cannot_move_it(paying_acme, stripe):
    acme, session, _ = paying_acme
    deliver(stripe.event("checkout.session.completed", session))
    before = _row(acme)
    stranger = stripe.new_id("cus")
    stripe.customers[stranger] = {"id": stranger, "object": "customer"}
    sub = stripe._new_subscription(stranger, "price_biz_test", {"tenant_id": str(acme.tenant.pk)})

    deliver(stripe.event("customer.subscription.created", sub))

    after = _row(acme)
    assert (after.stripe_customer_id, after.stripe_subscription_id) == (
        before.stripe_customer_id,
        before.stripe_subscription_id,
    )
    assert after.plan.key == "starter"


def test_a_burst_of_webhooks_queues_one_drain_that_processes_them_all(paying_acme, stripe):
    import json

    from billing.tasks import stripe_events_drain
    from config import kv

    _, _, sub = paying_acme
    kv.client().delete("celery")  # whatever setting up the tenant queued
    events = [stripe.event("customer.subscription.updated", sub) for _ in range(30)]
    for event in events:
        assert post_webhook(event).status_code == 200

    queued = [json.loads(raw)["headers"]["task"] for raw in kv.client().lrange("celery", 0, -1)]
    assert queued == ["billing.tasks.stripe_events_drain"]
    assert stripe_events_drain.apply().get() == 30
    statuses = set(
        StripeEvent.objects.filter(id__in=[e["id"] for e in events]).values_list(
            "status", flat=True
        )
    )
    assert statuses == {StripeEvent.Status.PROCESSED}


def test_a_drain_asks_stripe_once_for_a_burst_on_one_subscription(paying_acme, stripe):
    """Each handler only re-reads the subscription from Stripe: events already older than a
    sync that ran in this drain are reflected by it, so a backlog of 30 costs one request."""
    from datetime import timedelta

    from billing.tasks import stripe_events_drain

    _, _, sub = paying_acme
    events = [stripe.event("customer.subscription.updated", sub) for _ in range(30)]
    for event in events:
        assert post_webhook(event).status_code == 200
    # As if they arrived a while ago (a backlog while the worker was down).
    StripeEvent.objects.filter(id__in=[e["id"] for e in events]).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    before = len([r for r in stripe.requests if r.method == "GET"])
    assert stripe_events_drain.apply().get() == 30
    retrieves = [r for r in stripe.requests if r.method == "GET"][before:]
    assert [r.path for r in retrieves] == [f"/v1/subscriptions/{sub['id']}"]
    assert set(
        StripeEvent.objects.filter(id__in=[e["id"] for e in events]).values_list(
            "status", flat=True
        )
    ) == {StripeEvent.Status.PROCESSED}


def test_an_event_newer_than_the_drains_sync_gets_its_own(paying_acme, stripe):
    from datetime import timedelta

    from billing.webhooks import stripe_event_process

    _, _, sub = paying_acme
    old, new = (stripe.event("customer.subscription.updated", sub) for _ in range(2))
    for event in (old, new):
        assert post_webhook(event).status_code == 200
    StripeEvent.objects.filter(id=old["id"]).update(
        received_at=timezone.now() - timedelta(minutes=5)
    )
    synced: dict = {}
    before = len([r for r in stripe.requests if r.method == "GET"])
    stripe_event_process(event_id=old["id"], synced=synced)
    # `new` arrived within the clock margin of that sync: it is not assumed to be in it.
    stripe_event_process(event_id=new["id"], synced=synced)
    assert len([r for r in stripe.requests if r.method == "GET"]) - before == 2
