"""URLs of a tenant's site (<subdomain>.BASE_DOMAIN): the product, auth, the tenant's admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from tenants import views as tenant_views
from tenants.forms import EmailLoginForm

urlpatterns = [
    path("", include("core_app.urls")),
    path("auth/handoff/<str:token>/", tenant_views.handoff, name="handoff"),
    path("login/", auth_views.LoginView.as_view(authentication_form=EmailLoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
]
