"""URLs of a tenant's site (<subdomain>.BASE_DOMAIN): the product, auth, billing, its admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from billing.decorators import allowed_when_read_only as ro_ok
from tenants import auth as tenant_auth
from tenants import views as tenant_views

# Signing in and out and resetting a password stay possible for a read-only (unpaid) tenant.
urlpatterns = [
    path("", include("core_app.urls")),
    path("billing/", include("billing.urls")),
    path("auth/handoff/<str:token>/", tenant_views.handoff, name="handoff"),
    path("members/", tenant_views.members, name="members"),
    path("settings/", tenant_views.workspace_settings, name="workspace_settings"),
    path("settings/channel/", tenant_views.channel_change, name="channel_change"),
    path("settings/name/", tenant_views.workspace_rename, name="workspace_rename"),
    path("settings/password/", tenant_views.password_change, name="password_change"),
    path("members/<int:member_id>/remove/", tenant_views.member_delete, name="member_delete"),
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
    path("admin/", admin.site.urls),
]
