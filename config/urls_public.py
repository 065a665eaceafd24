"""URLs of the public site (BASE_DOMAIN): landing, signup, the operators' console and admin."""

from django.urls import include, path

from billing import views as billing_views
from tenants import views
from tenants.admin import operator_site

urlpatterns = [
    path("", views.landing, name="landing"),
    path("signup/", views.signup, name="signup"),
    path("login/", views.find_workspace, name="find_workspace"),
    path("pricing/", billing_views.pricing, name="pricing"),
    path("billing/webhooks/stripe/", billing_views.stripe_webhook, name="stripe_webhook"),
    path("console/", include("tenants.console.urls")),
    path("admin/", operator_site.urls),
]
