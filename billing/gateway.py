"""Every call we make to Stripe, through the real `stripe` SDK.

STRIPE_API_BASE points the SDK elsewhere (stripe-mock, or the tests' fake server). Every write
carries an idempotency key derived from our own ids, so a retried request never creates a
second customer or session.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

from billing import conf

if TYPE_CHECKING:
    import stripe

# The SDK is imported on first use, not when Django starts: a web process that never talks to
# Stripe (most requests) doesn't pay its import time and memory at cold start.


class StripeNotConfigured(Exception):
    message = "Stripe is not configured: set STRIPE_SECRET_KEY (see docs/billing.md)."


def stripe_id(value: Any) -> str:
    """The id in a Stripe field, which holds either an id or an expanded object."""
    if isinstance(value, dict):
        return str(value.get("id", ""))
    return str(value or "")


def client() -> stripe.StripeClient:
    if not conf.stripe_enabled():
        raise StripeNotConfigured()
    return _client(conf.stripe_secret_key(), conf.stripe_api_base())


@cache
def _client(secret_key: str, api_base: str) -> stripe.StripeClient:
    """One client per process (and key): it keeps its HTTP connections alive between calls,
    instead of a new TLS handshake for every event the worker handles."""
    import stripe

    return stripe.StripeClient(secret_key, base_addresses={"api": api_base}, max_network_retries=2)


def customer_create(
    *, email: str, name: str, metadata: dict[str, str], idempotency_key: str
) -> str:
    customer = client().v1.customers.create(
        params={"email": email, "name": name, "metadata": metadata},
        options={"idempotency_key": idempotency_key},
    )
    return customer.id


def checkout_session_create(
    *,
    customer_id: str,
    price_id: str,
    success_url: str,
    cancel_url: str,
    client_reference_id: str,
    metadata: dict[str, str],
    idempotency_key: str,
) -> str:
    session = client().v1.checkout.sessions.create(
        params={
            "mode": "subscription",
            "customer": customer_id,
            "line_items": [{"price": price_id, "quantity": 1}],
            "success_url": success_url,
            "cancel_url": cancel_url,
            "client_reference_id": client_reference_id,
            "metadata": metadata,
            "subscription_data": {"metadata": metadata},
        },
        options={"idempotency_key": idempotency_key},
    )
    return str(session.url)


def checkout_session_retrieve(*, session_id: str) -> dict[str, Any]:
    return client().v1.checkout.sessions.retrieve(session_id).to_dict()


def portal_session_create(*, customer_id: str, return_url: str, idempotency_key: str) -> str:
    session = client().v1.billing_portal.sessions.create(
        params={"customer": customer_id, "return_url": return_url},
        options={"idempotency_key": idempotency_key},
    )
    return str(session.url)


def subscription_retrieve(*, subscription_id: str) -> dict[str, Any]:
    return client().v1.subscriptions.retrieve(subscription_id).to_dict()


def subscription_cancel(*, subscription_id: str, idempotency_key: str) -> dict[str, Any]:
    """Cancel at once (not at the period's end). An already-cancelled or unknown subscription
    is fine: the goal, no more charges, holds."""
    import stripe

    try:
        sub = client().v1.subscriptions.cancel(
            subscription_id, options={"idempotency_key": idempotency_key}
        )
    except stripe.InvalidRequestError as exc:
        if exc.code == "resource_missing":
            return {"id": subscription_id, "status": "canceled"}
        raise
    return sub.to_dict()


def subscription_renewal_set(
    *, subscription_id: str, renew: bool, idempotency_key: str
) -> dict[str, Any]:
    """Turn renewal at the period's end off (renew=False) or back on. Nothing is charged,
    refunded or ended now: the customer keeps what they paid for until the period ends."""
    sub = client().v1.subscriptions.update(
        subscription_id,
        params={"cancel_at_period_end": not renew},
        options={"idempotency_key": idempotency_key},
    )
    return sub.to_dict()


def subscription_list_all() -> list[dict[str, Any]]:
    page = client().v1.subscriptions.list(params={"status": "all", "limit": 100})
    return [sub.to_dict() for sub in page.auto_paging_iter()]


def webhook_event_construct(*, payload: bytes, signature: str) -> stripe.Event:
    """Verify the signature and timestamp; raises ValueError or SignatureVerificationError."""
    import stripe

    return stripe.Webhook.construct_event(
        payload, signature, conf.stripe_webhook_secret(), tolerance=conf.webhook_tolerance_seconds()
    )
