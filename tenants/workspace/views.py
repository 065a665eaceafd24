"""Pages of a workspace's team, API keys, webhooks, usage and data export. Each parses input,
checks the permission table and calls a service; refusals are specific and in words."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.decorators import allowed_when_read_only
from billing.services import PlanLimitReached
from config import kv
from tenants import errors
from tenants.db import current_schema_name
from tenants.decorators import allowed_when_deletion_pending
from tenants.roles import Perm, permission_required, permission_table, role_of, user_can
from tenants.workspace import apikeys, exports, team, usage, webhooks
from tenants.workspace.forms import (
    AcceptInvitationForm,
    ApiKeyForm,
    InviteForm,
    RoleForm,
    WebhookEndpointForm,
)
from tenants.workspace.models import ApiKey, DataExport, WebhookDelivery, WebhookEndpoint
from tenants.workspace.outbox import EVENT_TYPES


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


SERVICE_ERRORS = (ValidationError, PermissionError, PlanLimitReached)

# --- team ---------------------------------------------------------------------------------


def _team_page(request: HttpRequest, form: InviteForm | None = None, status: int = 200):
    context = {
        "members": team.member_list(),
        "invitations": team.invitations_pending().select_related("invited_by"),
        "form": form or InviteForm(),
        "can_manage": user_can(request.user, Perm.MANAGE_TEAM),
        "can_manage_owners": user_can(request.user, Perm.MANAGE_OWNERS),
        "my_role": role_of(request.user),
        "table": permission_table(),
    }
    return render(request, "workspace/team.html", context, status=status)


@login_required
@require_GET
def team_page(request: HttpRequest) -> HttpResponse:
    return _team_page(request)


@login_required
@require_POST
@permission_required(Perm.MANAGE_TEAM)
def invite(request: HttpRequest) -> HttpResponse:
    form = InviteForm(request.POST)
    if form.is_valid():
        try:
            invitation = team.invitation_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except SERVICE_ERRORS as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("members")
    return _team_page(request, form=form, status=400)


def _service_action(request: HttpRequest, action: Any, success: str, to: str = "members"):
    try:
        action()
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
    else:
        messages.success(request, success)
    return redirect(to)


@login_required
@require_POST
def invitation_resend(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _service_action(
        request,
        lambda: team.invitation_resend(invitation_id=invitation_id, actor=request.user),  # type: ignore[arg-type]
        "Invitation sent again, with a new link valid for 7 days.",
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _service_action(
        request,
        lambda: team.invitation_revoke(invitation_id=invitation_id, actor=request.user),  # type: ignore[arg-type]
        "Invitation revoked: its link no longer works.",
    )


@login_required
@require_POST
def member_role(request: HttpRequest, member_id: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, admin or member.")
        return redirect("members")
    return _service_action(
        request,
        lambda: team.member_role_set(
            member_id=member_id,
            role=form.cleaned_data["role"],
            actor=request.user,  # type: ignore[arg-type]
        ),
        "Role changed.",
    )


@login_required
@require_POST
def member_delete(request: HttpRequest, member_id: int) -> HttpResponse:
    return _service_action(
        request,
        lambda: team.member_remove(member_id=member_id, actor=request.user),  # type: ignore[arg-type]
        "Member removed.",
    )


@login_required
@require_POST
def ownership_transfer(request: HttpRequest, member_id: int) -> HttpResponse:
    return _service_action(
        request,
        lambda: team.ownership_transfer(member_id=member_id, actor=request.user),  # type: ignore[arg-type]
        "Ownership transferred: you are now an admin.",
    )


@login_required
@require_POST
@allowed_when_read_only
def leave(request: HttpRequest) -> HttpResponse:
    try:
        team.member_leave(actor=request.user)  # type: ignore[arg-type]
    except SERVICE_ERRORS as exc:
        messages.error(request, _message(exc))
        return redirect("members")
    logout(request)
    return redirect("login")


@require_http_methods(["GET", "POST"])
@allowed_when_read_only
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The invitee's page, on the workspace's own host. New here: choose a password. Already
    have an account here: sign in, then accept (the role is added)."""
    invitation = team.invitation_for_token(token=token)
    if invitation is None:
        return render(
            request, "workspace/invitation.html", {"invalid": errors.INVITATION_INVALID}, status=404
        )
    existing = get_user_model().objects.filter(username=invitation.email, is_active=True).first()
    context: dict[str, Any] = {"invitation": invitation, "existing": existing}
    if existing is not None:
        signed_in_as_them = request.user.is_authenticated and request.user.pk == existing.pk
        context["signed_in_as_them"] = signed_in_as_them
        if request.method == "POST" and signed_in_as_them:
            try:
                team.invitation_accept_existing(token=token, user=existing)
            except SERVICE_ERRORS as exc:
                messages.error(request, _message(exc))
                return redirect("login")
            messages.success(request, f"You're now {invitation.get_role_display().lower()} here.")
            return redirect("core_app:dashboard")
        return render(request, "workspace/invitation.html", context)
    form = AcceptInvitationForm(request.POST or None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        try:
            user = team.invitation_accept_new(token=token, password=form.cleaned_data["password"])
        except SERVICE_ERRORS as exc:
            form.add_error(None, _message(exc))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome to {request.tenant.name}!")  # type: ignore[attr-defined]
            return redirect("core_app:dashboard")
    status = 400 if form.errors else 200
    return render(request, "workspace/invitation.html", context, status=status)


# --- API keys -----------------------------------------------------------------------------


def _keys_page(request: HttpRequest, form: ApiKeyForm | None = None, new_key: str = "",
               status: int = 200) -> HttpResponse:  # fmt: skip
    context = {
        "keys": ApiKey.objects.select_related("created_by"),
        "form": form or ApiKeyForm(),
        "new_key": new_key,
        "section": "keys",
    }
    return render(request, "workspace/api_keys.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_API_KEYS)
def api_keys(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _keys_page(request)
    form = ApiKeyForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        if not _form_first_use(data.pop("nonce")):
            # The same form again (a reload of the page that showed the key): no second key.
            messages.info(request, errors.API_KEY_FORM_REUSED)
            return redirect("api_keys")
        _key, raw = apikeys.apikey_create(actor=request.user, **data)  # type: ignore[arg-type]
        # Shown once, on this response only: never stored, never put in a message or a log.
        response = _keys_page(request, new_key=raw)
        response["Cache-Control"] = "no-store"
        return response
    return _keys_page(request, form=form, status=400)


def _form_first_use(nonce: str) -> bool:
    """True the first time a form's one-time value is seen (in this workspace), for an hour."""
    return bool(
        kv.client().set(f"awan:form-nonce:{current_schema_name()}:{nonce}", 1, nx=True, ex=3600)
    )


@login_required
@require_POST
@permission_required(Perm.MANAGE_API_KEYS)
def api_key_revoke(request: HttpRequest, key_id: int) -> HttpResponse:
    if not ApiKey.objects.filter(pk=key_id).exists():
        raise Http404("No such key")
    return _service_action(
        request,
        lambda: apikeys.apikey_revoke(key_id=key_id, actor=request.user),  # type: ignore[arg-type]
        "Key revoked: requests with it are refused from now on.",
        to="api_keys",
    )


# --- webhooks -----------------------------------------------------------------------------


def _webhooks_page(request: HttpRequest, form: WebhookEndpointForm | None = None,
                   status: int = 200) -> HttpResponse:  # fmt: skip
    context = {
        "endpoints": WebhookEndpoint.objects.all(),
        "form": form or WebhookEndpointForm(),
        "event_types": EVENT_TYPES,
        "section": "webhooks",
    }
    return render(request, "workspace/webhooks.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(Perm.MANAGE_WEBHOOKS)
def webhooks_page(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _webhooks_page(request)
    form = WebhookEndpointForm(request.POST)
    if form.is_valid():
        try:
            endpoint = webhooks.endpoint_create(actor=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except SERVICE_ERRORS as exc:
            form.add_error("url", _message(exc))
        else:
            messages.success(request, "Endpoint added. Its signing secret is shown below.")
            return redirect("webhook_detail", endpoint_id=endpoint.pk)
    return _webhooks_page(request, form=form, status=400)


@login_required
@require_GET
@permission_required(Perm.MANAGE_WEBHOOKS)
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such endpoint")
    deliveries = endpoint.deliveries.select_related("event")[:50]
    context = {"endpoint": endpoint, "deliveries": deliveries, "section": "webhooks"}
    return render(request, "workspace/webhook_detail.html", context)


@login_required
@require_POST
@permission_required(Perm.MANAGE_WEBHOOKS)
def webhook_toggle(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        raise Http404("No such endpoint")
    active = not endpoint.is_active
    return _service_action(
        request,
        lambda: webhooks.endpoint_set_active(
            endpoint_id=endpoint_id,
            active=active,
            actor=request.user,  # type: ignore[arg-type]
        ),
        "Endpoint turned on." if active else "Endpoint turned off.",
        to="webhooks",
    )


@login_required
@require_POST
@permission_required(Perm.MANAGE_WEBHOOKS)
def webhook_delete(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    if not WebhookEndpoint.objects.filter(pk=endpoint_id).exists():
        raise Http404("No such endpoint")
    return _service_action(
        request,
        lambda: webhooks.endpoint_delete(endpoint_id=endpoint_id, actor=request.user),  # type: ignore[arg-type]
        "Endpoint deleted.",
        to="webhooks",
    )


@login_required
@require_POST
@permission_required(Perm.MANAGE_WEBHOOKS)
def delivery_redeliver(request: HttpRequest, delivery_id: int) -> HttpResponse:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id).first()
    if delivery is None:
        raise Http404("No such delivery")
    webhooks.delivery_redeliver(delivery_id=delivery_id, actor=request.user)  # type: ignore[arg-type]
    messages.success(request, "Delivery queued again.")
    return redirect("webhook_detail", endpoint_id=delivery.endpoint_id)


# --- usage --------------------------------------------------------------------------------


@login_required
@require_GET
@permission_required(Perm.VIEW_USAGE)
def usage_page(request: HttpRequest) -> HttpResponse:
    return render(request, "workspace/usage.html", {"report": usage.usage_report(weeks=12)})


# --- data export --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
@permission_required(Perm.EXPORT_DATA)
@allowed_when_read_only  # it's their data: exporting it works whatever the billing state
@allowed_when_deletion_pending
def data_export(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        exports.export_request(actor=request.user)  # type: ignore[arg-type]
        messages.info(request, "Export started: this page shows its progress.")
        return redirect("data_export")
    context = {
        "now": timezone.now(),
        "exports": DataExport.objects.defer("content")[:5],
        "building": DataExport.objects.filter(
            status__in=[DataExport.Status.PENDING, DataExport.Status.BUILDING]
        ).exists(),
    }
    return render(request, "workspace/data_export.html", context)


@login_required
@require_GET
@permission_required(Perm.EXPORT_DATA)
@allowed_when_read_only
def data_export_download(request: HttpRequest, export_id: int) -> HttpResponse:
    export = exports.export_downloadable(export_id=export_id)
    if export is None:
        raise Http404("No such export, or it expired")
    response = HttpResponse(bytes(export.content), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Cache-Control"] = "no-store"
    return response
