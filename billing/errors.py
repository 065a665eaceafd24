"""User-facing billing messages, kept as constants so tests assert on the exact words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from billing.models import Plan

READ_ONLY = (
    "Your workspace is read-only because {reason}. Your data is safe and you can still view and "
    "export it. Choose a plan on the billing page to make changes again."
)
READ_ONLY_TRIAL_ENDED = "your free trial has ended"
READ_ONLY_CANCELED = "your subscription has ended"
PLAN_HAS_NO_PRICE = "The {plan} plan can't be bought online yet. Please choose another plan."
ALREADY_SUBSCRIBED = "You already have a subscription: change plans with Manage billing."
NO_STRIPE_CUSTOMER = "There is no billing account yet: choose a plan first."
# What a customer reads while this server takes no payments (their trial carries on).
STRIPE_NOT_CONFIGURED = (
    "Online payment isn't available yet. Your workspace keeps working as it is; nothing is charged."
)
# What the workspace owner additionally reads, once, while payments are unconfigured: on a
# kit someone just cloned, the owner is usually the person who can fix it.
STRIPE_SETUP_HINT = (
    "To take payments, set STRIPE_SECRET_KEY, STRIPE_PUBLISHABLE_KEY, STRIPE_WEBHOOK_SECRET and "
    "the STRIPE_PRICE_* variables on the server (docs/billing.md), and send Stripe's webhooks to"
)
STRIPE_UNAVAILABLE = "We couldn't reach our payment provider. Please try again in a minute."
PAST_DUE = "Your last payment failed. Update your card on the billing page to keep your workspace."

LIMIT_NOUNS = {"max_projects": "projects", "max_members": "members"}


def plan_limit(*, plan: Plan, limit: str, allowed: int, trialing: bool) -> str:
    noun = LIMIT_NOUNS.get(limit, limit)
    who = f"Your trial (with {plan.name} features)" if trialing else f"Your {plan.name} plan"
    return f"{who} allows {allowed} {noun}. Upgrade on the billing page to add more."
