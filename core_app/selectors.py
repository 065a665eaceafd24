from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from core_app.models import Export, Project, Task


def project_list_with_counts() -> QuerySet[Project]:
    return Project.objects.annotate(
        task_count=Count("tasks"),
        open_count=Count("tasks", filter=Q(tasks__done=False)),
        done_count=Count("tasks", filter=Q(tasks__done=True)),
    )


def project_get(*, project_id: int) -> Project | None:
    return project_list_with_counts().filter(pk=project_id).first()


def task_get(*, project: Project, task_id: int) -> Task | None:
    return project.tasks.filter(pk=task_id).first()


def export_list(*, project: Project) -> QuerySet[Export]:
    return project.exports.defer("content")[:5]


def dashboard_totals() -> dict[str, int]:
    return Task.objects.aggregate(
        total=Count("id"),
        open=Count("id", filter=Q(done=False)),
        done=Count("id", filter=Q(done=True)),
    ) | {"projects": Project.objects.count()}
