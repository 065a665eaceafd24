from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from django.test import Client

from billing.models import Plan, StripeEvent
from billing.webhooks import stripe_event_process
from tests.fakes.stripe_server import FakeStripe, FakeStripeServer, sign_payload

WEBHOOK_SECRET = "whsec_test_awan"
PRICES = {"starter": "price_starter_test", "team": "price_team_test", "business": "price_biz_test"}


@pytest.fixture(scope="session")
def fake_stripe_server() -> Iterator[FakeStripeServer]:
    with FakeStripeServer() as server:
        yield server


@pytest.fixture
def stripe(fake_stripe_server, settings, seeded_tenants, db) -> FakeStripe:
    """Stripe configured and pointed at the fake server, with a price for every plan."""
    fake_stripe_server.reset()
    settings.STRIPE_SECRET_KEY = "sk_test_awan"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_awan"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = fake_stripe_server.url
    for key, price_id in PRICES.items():
        fake_stripe_server.state.price(price_id)
        Plan.objects.filter(key=key).update(stripe_price_id=price_id)
    return fake_stripe_server.state


def post_webhook(event: dict, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    payload = json.dumps(event).encode()
    return Client(HTTP_HOST="localhost").post(
        "/billing/webhooks/stripe/",
        data=payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign_payload(payload, secret, timestamp),
    )


def deliver(event: dict) -> StripeEvent:
    """Deliver like Stripe, then process like the worker does (no worker in unit tests)."""
    response = post_webhook(event)
    assert response.status_code == 200, response.content
    stripe_event_process(event_id=event["id"])
    return StripeEvent.objects.get(id=event["id"])
