"""`/api/v1/…` on a workspace's host, and the API's description: `/api/schema/` (OpenAPI 3),
`/api/docs/` (Swagger UI) and `/api/redoc/`, served from drf-spectacular-sidecar (no CDN)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import SimpleRouter

from core_app.api import views

router = SimpleRouter()
router.register("projects", views.ProjectViewSet, basename="api-projects")
router.register("tasks", views.TaskViewSet, basename="api-tasks")

open_docs = {"permission_classes": [AllowAny], "authentication_classes": []}

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/features/", views.FeaturesView.as_view(), name="api_features"),
    path("v1/insights/", views.InsightsView.as_view(), name="api_insights"),
    path("schema/", SpectacularAPIView.as_view(**open_docs), name="api_schema"),
    path(
        "docs/",
        SpectacularSwaggerView.as_view(url_name="api_schema", **open_docs),
        name="api_docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api_schema", **open_docs),
        name="api_redoc",
    ),
]
