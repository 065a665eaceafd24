"""Awan's tenant URLconf with the bench view in front, so Awan's real routing and middleware
run for it."""

from django.urls import path

from bench.views import projects
from config.urls_tenant import urlpatterns as tenant_urlpatterns

urlpatterns = [path("bench/projects/", projects, name="bench_projects"), *tenant_urlpatterns]
