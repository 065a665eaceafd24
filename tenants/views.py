from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tenants import conf, errors
from tenants.audit import actor_owner
from tenants.auth import CappedPasswordChangeForm as PasswordChangeForm
from tenants.channels import ChannelPinned, channel_set
from tenants.decorators import allowed_when_deletion_pending
from tenants.flags import beta_features
from tenants.forms import DeletionRequestForm, FindWorkspaceForm, SignupForm, WorkspaceRenameForm
from tenants.lifecycle import (
    LifecycleRefused,
    deletion_requested_by,
    tenant_delete_cancel,
    tenant_delete_request,
)
from tenants.models import Tenant
from tenants.ratelimit import client_ip, ratelimit_count, ratelimit_hit
from tenants.roles import Perm, permission_required, user_can
from tenants.routing import tenant_url
from tenants.services import SubdomainTaken, handoff_redeem, tenant_rename, tenant_signup


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    return render(request, "tenants/landing.html", {"base_domain": conf.base_domain()})


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        limit, window = conf.signup_rate_limit()
        if not ratelimit_hit(
            scope="signup", key=client_ip(request), limit=limit, window_seconds=window
        ):
            form.add_error(None, errors.SIGNUP_RATE_LIMITED)
            return render(request, "tenants/signup.html", _signup_context(form), status=429)
        if form.is_valid():
            data = form.cleaned_data
            try:
                result = tenant_signup(
                    name=data["organization_name"],
                    subdomain=data["subdomain"],
                    owner_email=data["email"],
                    password=data["password"],
                )
            except SubdomainTaken:
                form.add_error("subdomain", errors.SUBDOMAIN_TAKEN)
            else:
                path = reverse(
                    "handoff", kwargs={"token": result.handoff_token}, urlconf="config.urls_tenant"
                )
                return HttpResponseRedirect(
                    tenant_url(tenant=result.tenant, path=path, request=request)
                )
        return render(request, "tenants/signup.html", _signup_context(form), status=400)
    return render(request, "tenants/signup.html", _signup_context(form))


def _signup_context(form: SignupForm) -> dict:
    return {"form": form, "base_domain": conf.base_domain()}


@require_GET
def handoff(request: HttpRequest, token: str) -> HttpResponse:
    """Tenant host: redeem the signup's one-time token and log the owner in."""
    user_id = handoff_redeem(tenant=request.tenant, token=token)  # type: ignore[attr-defined]
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None:
        messages.error(request, errors.HANDOFF_INVALID)
        return redirect("login")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, f"Welcome to {request.tenant.name}! Your workspace is ready.")  # type: ignore[attr-defined]
    return redirect("core_app:dashboard")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return getattr(exc, "message", None) or str(exc)


def _settings_page(
    request: HttpRequest,
    *,
    rename_form: WorkspaceRenameForm | None = None,
    password_form: PasswordChangeForm | None = None,
    deletion_form: DeletionRequestForm | None = None,
    status: int = 200,
) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    context = {
        "deletion_form": deletion_form,
        "grace_days": conf.deletion_grace_days(),
        "deletion_by_owner": tenant.is_pending_deletion
        and deletion_requested_by(tenant=tenant).startswith("owner:"),
        "beta_features": beta_features(),
        "history": tenant.channel_changes.all()[:10],
        "is_owner": user_can(request.user, Perm.MANAGE_CHANNEL),
        "can_rename": user_can(request.user, Perm.MANAGE_WORKSPACE),
        "rename_form": rename_form or WorkspaceRenameForm(initial={"name": tenant.name}),
        "password_form": password_form or PasswordChangeForm(request.user),  # type: ignore[arg-type]
    }
    return render(request, "tenants/settings.html", context, status=status)


@login_required
@require_GET
def workspace_settings(request: HttpRequest) -> HttpResponse:
    """Tenant host: the workspace's name, your password, and the release channel."""
    return _settings_page(request)


@login_required
@require_POST
@permission_required(Perm.MANAGE_WORKSPACE)
def workspace_rename(request: HttpRequest) -> HttpResponse:
    form = WorkspaceRenameForm(request.POST)
    if not form.is_valid():
        return _settings_page(request, rename_form=form, status=400)
    tenant_rename(
        tenant=request.tenant,  # type: ignore[attr-defined]
        name=form.cleaned_data["name"],
        actor=f"owner:{request.user.email}",  # type: ignore[union-attr]
    )
    messages.success(request, "Workspace renamed.")
    return redirect("workspace_settings")


@login_required
@require_POST
@allowed_when_deletion_pending  # your own account's security, whatever the workspace's state
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)  # type: ignore[arg-type]
    if not form.is_valid():
        return _settings_page(request, password_form=form, status=400)
    user = form.save()
    update_session_auth_hash(request, user)  # stay signed in here; other sessions end
    messages.success(request, "Your password was changed.")
    return redirect("workspace_settings")


@login_required
@require_POST
@permission_required(Perm.MANAGE_WORKSPACE)
def deletion_request(request: HttpRequest) -> HttpResponse:
    """The owner asks for the workspace to be deleted: read-only at once, gone after the grace
    period (TENANT_DELETION_GRACE_DAYS), and cancellable until then."""
    tenant = request.tenant  # type: ignore[attr-defined]
    form = DeletionRequestForm(request.POST, tenant=tenant, user=request.user)  # type: ignore[arg-type]
    if not form.is_valid():
        return _settings_page(request, deletion_form=form, status=400)
    try:
        tenant = tenant_delete_request(
            tenant=tenant,
            actor=actor_owner(request.user),  # type: ignore[arg-type]
            reason=form.cleaned_data["reason"] or "the owner deleted the workspace",
        )
    except LifecycleRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"{tenant.name} will be deleted on {tenant.deletion_due_at:%d %B %Y}. Until then "
            "you can export your data, or change your mind and cancel.",
        )
    return redirect("workspace_settings")


@login_required
@require_POST
@permission_required(Perm.MANAGE_WORKSPACE)
@allowed_when_deletion_pending
def deletion_cancel(request: HttpRequest) -> HttpResponse:
    tenant = request.tenant  # type: ignore[attr-defined]
    if tenant.is_pending_deletion and not deletion_requested_by(tenant=tenant).startswith("owner:"):
        messages.error(request, errors.DELETION_CANCEL_NOT_YOURS)
        return redirect("workspace_settings")
    try:
        tenant_delete_cancel(
            tenant=tenant,
            actor=actor_owner(request.user),  # type: ignore[arg-type]
            reason="the owner cancelled it on the settings page",
        )
    except LifecycleRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "Deletion cancelled: your workspace stays.")
    return redirect("workspace_settings")


@login_required
@require_POST
@permission_required(Perm.MANAGE_CHANNEL)
def channel_change(request: HttpRequest) -> HttpResponse:
    channel = request.POST.get("channel", "")
    try:
        channel_set(
            tenant=request.tenant,  # type: ignore[attr-defined]
            channel=channel,
            actor=f"owner:{request.user.email}",  # type: ignore[union-attr]
            reason="owner changed it on the settings page",
        )
    except ChannelPinned as exc:
        messages.error(request, exc.message)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        on_beta = channel == Tenant.Channel.BETA
        messages.success(
            request, "You're on the beta channel." if on_beta else "You're back on stable."
        )
    return redirect("workspace_settings")


@require_http_methods(["GET", "POST"])
def find_workspace(request: HttpRequest) -> HttpResponse:
    """Public host: "Log in" for people who don't remember their workspace's address. The
    answer is the same whether or not the email has an account anywhere."""
    from tenants.tasks import workspace_links_send

    form = FindWorkspaceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        within = [
            ratelimit_count(
                scope="lookup-ip", key=client_ip(request), rate=conf.rate("workspace_lookup_per_ip")
            ),
            ratelimit_count(
                scope="lookup-account", key=email, rate=conf.rate("workspace_lookup_per_account")
            ),
        ]
        if not all(within):
            form.add_error(None, errors.WORKSPACE_LOOKUP_THROTTLED)
            return render(request, "tenants/find_workspace.html", {"form": form}, status=429)
        workspace_links_send.delay(email=email)
        sent = errors.WORKSPACE_LOOKUP_SENT.format(email=email)
        return render(request, "tenants/find_workspace.html", {"sent_message": sent})
    status = 400 if form.errors else 200
    return render(request, "tenants/find_workspace.html", {"form": form}, status=status)
