"""URLs of a tenant's site (<subdomain>.BASE_DOMAIN): the product, auth, billing, its admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from billing.decorators import allowed_when_read_only as ro_ok
from tenants import views as tenant_views
from tenants.forms import EmailLoginForm

# Signing in and out and resetting a password stay possible for a read-only (unpaid) tenant.
urlpatterns = [
    path("", include("core_app.urls")),
    path("billing/", include("billing.urls")),
    path("auth/handoff/<str:token>/", tenant_views.handoff, name="handoff"),
    path("members/", tenant_views.members, name="members"),
    path("settings/", tenant_views.workspace_settings, name="workspace_settings"),
    path("settings/channel/", tenant_views.channel_change, name="channel_change"),
    path("members/<int:member_id>/remove/", tenant_views.member_delete, name="member_delete"),
    path(
        "login/",
        ro_ok(auth_views.LoginView.as_view(authentication_form=EmailLoginForm)),
        name="login",
    ),
    path("logout/", ro_ok(auth_views.LogoutView.as_view()), name="logout"),
    path("password-reset/", ro_ok(auth_views.PasswordResetView.as_view()), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        ro_ok(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]
