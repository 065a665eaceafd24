"""The billing app's settings, read in one place with their defaults."""

from __future__ import annotations

from django.conf import settings

DEFAULT_PLANS = [
    {
        "key": "starter",
        "name": "Starter",
        "monthly_price_cents": 900,
        "max_projects": 3,
        "max_members": 3,
        "stripe_price_id": "",
    },
    {
        "key": "team",
        "name": "Team",
        "monthly_price_cents": 2900,
        "max_projects": 25,
        "max_members": 15,
        "stripe_price_id": "",
    },
    {
        "key": "business",
        "name": "Business",
        "monthly_price_cents": 9900,
        "max_projects": None,
        "max_members": None,
        "stripe_price_id": "",
    },
]


def trial_days() -> int:
    return int(getattr(settings, "TRIAL_DAYS", 30))


def trial_plan_key() -> str:
    """Whose limits apply during the trial."""
    return getattr(settings, "BILLING_TRIAL_PLAN", "team")


def reminder_days() -> list[int]:
    days = getattr(settings, "TRIAL_REMINDER_DAYS", [7, 3, 1])
    return sorted({int(d) for d in days}, reverse=True)


def plans() -> list[dict]:
    return getattr(settings, "BILLING_PLANS", DEFAULT_PLANS)


def stripe_secret_key() -> str:
    return getattr(settings, "STRIPE_SECRET_KEY", "")


def stripe_publishable_key() -> str:
    return getattr(settings, "STRIPE_PUBLISHABLE_KEY", "")


def stripe_webhook_secret() -> str:
    return getattr(settings, "STRIPE_WEBHOOK_SECRET", "")


def stripe_api_base() -> str:
    return getattr(settings, "STRIPE_API_BASE", "") or "https://api.stripe.com"


def stripe_enabled() -> bool:
    return bool(stripe_secret_key())


def webhook_tolerance_seconds() -> int:
    return int(getattr(settings, "STRIPE_WEBHOOK_TOLERANCE", 300))


def event_max_attempts() -> int:
    return int(getattr(settings, "STRIPE_EVENT_MAX_ATTEMPTS", 8))
