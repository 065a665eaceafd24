from django.urls import path

from billing import views

app_name = "billing"
urlpatterns = [
    path("", views.billing_page, name="page"),
    path("checkout/<slug:plan_key>/", views.checkout, name="checkout"),
    path("portal/", views.portal, name="portal"),
]
