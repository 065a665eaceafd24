from django.urls import path

from bench.views import projects

urlpatterns = [path("bench/projects/", projects, name="bench_projects")]
