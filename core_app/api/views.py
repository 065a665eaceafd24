"""The product as a REST API, `/api/v1/` on each workspace's host.

Every write goes through the same services as the pages, so plan limits, read-only mode and
the webhook outbox hold exactly as in the UI. A detail response carries an ETag; send it back
as If-Match on PUT, PATCH or DELETE and a concurrent change gets 412 instead of being
overwritten.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from core_app import selectors, services
from core_app.api.serializers import (
    FeaturesSerializer,
    InsightsSerializer,
    ProjectSerializer,
    TaskSerializer,
)
from core_app.models import Project, Task
from tenants.flags import REGISTRY, feature_enabled
from tenants.workspace.api import CountsUsage
from tenants.workspace.api_errors import FeatureUnavailable, PreconditionFailed


def etag_of(obj: Project | Task) -> str:
    return f'"{obj.pk}-{int(obj.updated_at.timestamp() * 1_000_000)}"'


class ETagged:
    """ETag on every single-object response; If-Match checked before any change."""

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)  # type: ignore[misc]
        response["ETag"] = etag_of(self.get_object())  # type: ignore[attr-defined]
        return response

    def precondition(self, instance: Project | Task) -> None:
        wanted = self.request.headers.get("If-Match")  # type: ignore[attr-defined]
        if wanted and wanted.strip() not in ("*", etag_of(instance)):
            raise PreconditionFailed()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any):
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        instance = getattr(self, "_written", None)
        if instance is not None and response.status_code in (200, 201):
            response["ETag"] = etag_of(instance)
        return response


IF_MATCH = OpenApiParameter(
    "If-Match", str, OpenApiParameter.HEADER, required=False,
    description="The ETag you read; the change is refused (412) if it changed since.",
)  # fmt: skip


@extend_schema_view(
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class ProjectViewSet(CountsUsage, ETagged, viewsets.ModelViewSet):
    """Projects. Search `?search=`, order `?ordering=name` (or created_at, updated_at)."""

    serializer_class = ProjectSerializer
    search_fields = ["name", "description"]
    ordering_fields = ["name", "created_at", "updated_at"]
    ordering = ["-created_at", "-id"]

    def get_queryset(self) -> QuerySet[Project]:
        return selectors.project_list_with_counts()

    def perform_create(self, serializer: ProjectSerializer) -> None:
        data = serializer.validated_data
        project = services.project_create(
            name=data["name"], description=data.get("description", ""), actor=self.request.user
        )
        serializer.instance = selectors.project_get(project_id=project.pk)
        self._written = project

    def perform_update(self, serializer: ProjectSerializer) -> None:
        project = serializer.instance
        self.precondition(project)
        data = serializer.validated_data
        services.project_update(
            project=project,
            name=data.get("name", project.name),
            description=data.get("description", project.description),
        )
        serializer.instance = selectors.project_get(project_id=project.pk)
        self._written = serializer.instance

    def perform_destroy(self, instance: Project) -> None:
        self.precondition(instance)
        services.project_delete(project=instance)


class TaskFilter:
    """`?project=<id>` and `?done=true|false`."""

    @staticmethod
    def apply(queryset: QuerySet[Task], params: Any) -> QuerySet[Task]:
        project = params.get("project")
        if project is not None:
            queryset = (
                queryset.filter(project_id=int(project)) if project.isdigit() else queryset.none()
            )
        done = params.get("done")
        if done in ("true", "false"):
            queryset = queryset.filter(done=done == "true")
        return queryset


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("project", int, description="only this project's tasks"),
            OpenApiParameter("done", bool, description="only done (true) or open (false) tasks"),
        ]
    ),
    update=extend_schema(parameters=[IF_MATCH]),
    partial_update=extend_schema(parameters=[IF_MATCH]),
    destroy=extend_schema(parameters=[IF_MATCH]),
)
class TaskViewSet(CountsUsage, ETagged, viewsets.ModelViewSet):
    """Tasks. Filter `?project=&done=`, search `?search=`, order `?ordering=created_at`."""

    serializer_class = TaskSerializer
    search_fields = ["title", "notes"]
    ordering_fields = ["title", "created_at", "updated_at", "completed_at"]
    ordering = ["created_at", "id"]

    def get_queryset(self) -> QuerySet[Task]:
        queryset = Task.objects.all()
        if self.action == "list":
            queryset = TaskFilter.apply(queryset, self.request.query_params)
        return queryset

    def perform_create(self, serializer: TaskSerializer) -> None:
        data = serializer.validated_data
        task = services.task_create(
            project=data["project"], title=data["title"], notes=data.get("notes", "")
        )
        if data.get("done"):
            task = services.task_set_done(task=task, done=True)
        serializer.instance = self._written = task

    def perform_update(self, serializer: TaskSerializer) -> None:
        task = serializer.instance
        self.precondition(task)
        data = serializer.validated_data
        title, notes = data.get("title", task.title), data.get("notes", task.notes)
        if (title, notes) != (task.title, task.notes):
            task = services.task_update(task=task, title=title, notes=notes)
        if "done" in data:
            task = services.task_set_done(task=task, done=data["done"])
        serializer.instance = self._written = task

    def perform_destroy(self, instance: Task) -> None:
        self.precondition(instance)
        services.task_delete(task=instance)


class FeaturesView(CountsUsage, GenericAPIView):
    """The workspace's release channel and which features are on."""

    serializer_class = FeaturesSerializer
    pagination_class = None

    def get(self, request: Request) -> Response:
        tenant = request.tenant  # type: ignore[attr-defined]
        return Response(
            {
                "channel": tenant.channel,
                "features": {k: feature_enabled(tenant, k) for k in REGISTRY},
            }
        )


class InsightsView(CountsUsage, GenericAPIView):
    """Beta: tasks created and completed per day over two weeks (404 when the feature is off)."""

    serializer_class = InsightsSerializer
    pagination_class = None

    @extend_schema(responses={200: InsightsSerializer, 404: None})
    def get(self, request: Request) -> Response:
        from tenants import errors

        if not feature_enabled(request.tenant, "insights"):  # type: ignore[attr-defined]
            raise FeatureUnavailable(errors.FEATURE_BETA_ONLY.format(feature="Insights"))
        series = selectors.insights_daily(days=14)
        return Response({"days": series})
