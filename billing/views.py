from __future__ import annotations

import logging
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from billing import conf, errors, gateway
from billing.decorators import allowed_when_read_only
from billing.selectors import billing_state_for, plan_by_key, plan_list
from billing.services import BillingError, checkout_complete, checkout_start, portal_open
from billing.webhooks import event_shape_error, stripe_event_record
from tenants import errors as tenant_errors
from tenants.roles import Perm, permission_required, user_can
from tenants.routing import absolute_url, public_url

logger = logging.getLogger(__name__)


@require_GET
def pricing(request: HttpRequest) -> HttpResponse:
    """Public site: the plans."""
    return render(
        request, "billing/pricing.html", {"plans": plan_list(), "trial_days": conf.trial_days()}
    )


@login_required
@require_GET
@allowed_when_read_only
def billing_page(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    session_id = request.GET.get("session_id", "")
    if session_id and conf.stripe_enabled():
        import stripe

        try:
            if checkout_complete(tenant=tenant, session_id=session_id):
                messages.success(request, "Thank you! Your subscription is active.")
        except (stripe.StripeError, gateway.StripeNotConfigured):
            logger.warning("could not confirm checkout session %s", session_id)
        return redirect("billing:page")
    webhook_path = reverse("stripe_webhook", urlconf="config.urls_public")
    context = {
        "plans": plan_list(),
        "state": billing_state_for(tenant=tenant),
        "stripe_enabled": conf.stripe_enabled(),
        "can_manage": user_can(request.user, Perm.MANAGE_BILLING),
        "not_configured": errors.STRIPE_NOT_CONFIGURED,
        "setup_hint": errors.STRIPE_SETUP_HINT,
        "owner_only": tenant_errors.BILLING_OWNER_ONLY,
        "webhook_url": public_url(path=webhook_path, request=request),
    }
    return render(request, "billing/billing.html", context)


def _absolute(request: HttpRequest, name: str) -> str:
    return absolute_url(request, reverse(name))


def _to_stripe(request: HttpRequest, action: str, start: Callable[[], str]) -> HttpResponse:
    """Send the browser to a Stripe-hosted page, or back to billing with a specific message.
    While payments are unconfigured the billing page already says so: no second message."""
    if not conf.stripe_enabled():
        return redirect("billing:page")
    import stripe

    try:
        return HttpResponseRedirect(start())
    except BillingError as exc:
        messages.error(request, exc.message)
    except stripe.StripeError:
        logger.exception("stripe %s failed", action)
        messages.error(request, errors.STRIPE_UNAVAILABLE)
    return redirect("billing:page")


@login_required
@require_POST
@allowed_when_read_only
@permission_required(Perm.MANAGE_BILLING)
def checkout(request: HttpRequest, plan_key: str) -> HttpResponse:
    plan = plan_by_key(key=plan_key)
    if plan is None:
        messages.error(request, "That plan doesn't exist.")
        return redirect("billing:page")
    page = _absolute(request, "billing:page")
    return _to_stripe(
        request,
        "checkout",
        lambda: checkout_start(
            tenant=request.tenant,  # type: ignore[attr-defined]
            plan=plan,
            email=getattr(request.user, "email", ""),
            success_url=page + "?session_id={CHECKOUT_SESSION_ID}",
            cancel_url=page,
        ),
    )


@login_required
@require_POST
@allowed_when_read_only
@permission_required(Perm.MANAGE_BILLING)
def portal(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    page = _absolute(request, "billing:page")
    return _to_stripe(request, "portal", lambda: portal_open(tenant=tenant, return_url=page))


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Public host. Verify, record once, answer fast; the worker does the rest."""
    from billing.tasks import stripe_events_drain_request

    if not conf.stripe_webhook_secret():
        return HttpResponseBadRequest("webhook secret not configured")
    import stripe

    try:
        event = gateway.webhook_event_construct(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except (ValueError, stripe.SignatureVerificationError) as exc:
        logger.warning("rejected stripe webhook: %s", exc.__class__.__name__)
        return HttpResponseBadRequest("invalid signature or payload")
    payload = event.to_dict()
    missing = event_shape_error(payload)
    if missing is not None:
        logger.warning("rejected stripe webhook: signed, but without %s", missing)
        return HttpResponseBadRequest(f"event without {missing}")
    record, created = stripe_event_record(event=payload)
    if created and record.status == record.Status.PENDING:
        stripe_events_drain_request()
    return HttpResponse(status=200)
