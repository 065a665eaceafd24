"""/console/: in the public site's URLconf only (config.urls_public), never a tenant's."""

from django.urls import path

from tenants.console import access, views

app_name = "console"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("series/<str:name>.csv", views.series_csv, name="series_csv"),
    path("tenants/", views.tenant_list, name="tenants"),
    path("tenants/<slug:subdomain>/", views.tenant_detail, name="tenant"),
    path("tenants/<slug:subdomain>/<str:action>/", views.tenant_action, name="tenant_action"),
    path("exports/", views.export_list, name="exports"),
    path("exports/<int:export_id>/download/", views.export_download, name="export_download"),
    path("exports/<int:export_id>/restore/", views.export_restore, name="export_restore"),
    path("restores/<str:job>/", views.restore_status, name="restore"),
    path("login/", access.console_login, name="login"),
    path("verify/", access.console_verify, name="verify"),
    path("2fa/setup/", access.console_setup, name="setup"),
    path("logout/", access.console_logout, name="logout"),
]
