"""URLs of the public site (BASE_DOMAIN): landing, signup, operators' admin."""

from django.urls import path

from tenants import views
from tenants.admin import operator_site

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("admin/", operator_site.urls),
]
