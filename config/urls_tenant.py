"""URLs of a tenant's site (<subdomain>.BASE_DOMAIN): the product, auth, billing, its admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from billing.decorators import allowed_when_read_only
from tenants import auth as tenant_auth
from tenants import views as tenant_views
from tenants.decorators import allowed_when_deletion_pending
from tenants.workspace import views as workspace


def ro_ok(view):
    """Signing in and out and resetting a password stay possible for a read-only (unpaid)
    tenant, and for one waiting to be deleted."""
    return allowed_when_deletion_pending(allowed_when_read_only(view))


urlpatterns = [
    path("", include("core_app.urls")),
    path("api/", include("core_app.api.urls")),
    path("billing/", include("billing.urls")),
    path("auth/handoff/<str:token>/", tenant_views.handoff, name="handoff"),
    path("settings/", tenant_views.workspace_settings, name="workspace_settings"),
    path("settings/channel/", tenant_views.channel_change, name="channel_change"),
    path("settings/name/", tenant_views.workspace_rename, name="workspace_rename"),
    path("settings/password/", tenant_views.password_change, name="password_change"),
    path("settings/delete/", tenant_views.deletion_request, name="deletion_request"),
    path("settings/delete/cancel/", tenant_views.deletion_cancel, name="deletion_cancel"),
    path(
        "login/",
        ro_ok(tenant_auth.TenantLoginView.as_view()),
        name="login",
    ),
    path("logout/", ro_ok(auth_views.LogoutView.as_view()), name="logout"),
    path(
        "password-reset/",
        ro_ok(tenant_auth.TenantPasswordResetView.as_view()),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        ro_ok(tenant_auth.TenantPasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The team: roles, invitations (accepted on this host), leaving, handing over.
    path("members/", workspace.team_page, name="members"),
    path("members/invite/", workspace.invite, name="invite"),
    path("members/leave/", workspace.leave, name="leave"),
    path("members/<int:member_id>/role/", workspace.member_role, name="member_role"),
    path("members/<int:member_id>/remove/", workspace.member_delete, name="member_delete"),
    path(
        "members/<int:member_id>/transfer/",
        workspace.ownership_transfer,
        name="ownership_transfer",
    ),
    path(
        "members/invitations/<int:invitation_id>/resend/",
        workspace.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "members/invitations/<int:invitation_id>/revoke/",
        workspace.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", workspace.invitation_accept, name="invitation_accept"),
    # For developers building on the workspace: API keys and outgoing webhooks.
    path("developers/api-keys/", workspace.api_keys, name="api_keys"),
    path(
        "developers/api-keys/<int:key_id>/revoke/",
        workspace.api_key_revoke,
        name="api_key_revoke",
    ),
    path("developers/webhooks/", workspace.webhooks_page, name="webhooks"),
    path("developers/webhooks/<int:endpoint_id>/", workspace.webhook_detail, name="webhook_detail"),
    path(
        "developers/webhooks/<int:endpoint_id>/toggle/",
        workspace.webhook_toggle,
        name="webhook_toggle",
    ),
    path(
        "developers/webhooks/<int:endpoint_id>/delete/",
        workspace.webhook_delete,
        name="webhook_delete",
    ),
    path(
        "developers/deliveries/<int:delivery_id>/redeliver/",
        workspace.delivery_redeliver,
        name="delivery_redeliver",
    ),
    path("usage/", workspace.usage_page, name="usage"),
    path("settings/export/", workspace.data_export, name="data_export"),
    path(
        "settings/export/<int:export_id>/download/",
        workspace.data_export_download,
        name="data_export_download",
    ),
    path("admin/", admin.site.urls),
]
