"""The view every routing stack serves: up to 20 projects as JSON, read with the ORM.
Unauthenticated, so each stack does the same work: route, read, serialize."""

from django.http import HttpRequest, JsonResponse

from core_app.models import Project


def projects(request: HttpRequest) -> JsonResponse:
    rows = list(Project.objects.order_by("-id").values("id", "name")[:20])
    return JsonResponse({"projects": rows})
