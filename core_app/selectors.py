from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from core_app.models import Export, Project, Task


def project_list_with_counts() -> QuerySet[Project]:
    return Project.objects.annotate(
        task_count=Count("tasks"),
        open_count=Count("tasks", filter=Q(tasks__done=False)),
        done_count=Count("tasks", filter=Q(tasks__done=True)),
    )


def project_summaries() -> list[dict[str, Any]]:
    """Plain rows for the API: id, name and open/done counts."""
    return [
        {"id": p.pk, "name": p.name, "open": p.open_count, "done": p.done_count}  # type: ignore[attr-defined]
        for p in project_list_with_counts()
    ]


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


def insights_daily(*, days: int = 14, today: date | None = None) -> list[dict[str, Any]]:
    """Tasks created and completed per day over the last `days` days (oldest first)."""
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    created = _count_per_day("created_at", start)
    completed = _count_per_day("completed_at", start)
    series = []
    for offset in range(days):
        day = start + timedelta(days=offset)
        series.append(
            {"date": day, "created": created.get(day, 0), "completed": completed.get(day, 0)}
        )
    return series


def _count_per_day(field: str, start: date) -> dict[date, int]:
    rows = (
        Task.objects.filter(**{f"{field}__date__gte": start})
        .annotate(day=TruncDate(field))
        .values("day")
        .annotate(n=Count("id"))
    )
    return {row["day"]: row["n"] for row in rows}
