"""The product's lines on the workspace's usage page (tenants.workspace.usage)."""

from __future__ import annotations

from datetime import date

from django.db.models import Count

from core_app.models import Project, Task
from tenants.workspace.usage import Series, per_week, usage_series_register, usage_total_register


def _tasks(since: date) -> dict[date, dict[str, int]]:
    created = per_week(Task.objects.all(), "created_at", since, created=Count("id"))
    completed = per_week(
        Task.objects.filter(completed_at__isnull=False),
        "completed_at",
        since,
        completed=Count("id"),
    )
    weeks = set(created) | set(completed)
    return {w: {**created.get(w, {}), **completed.get(w, {})} for w in weeks}


usage_series_register(
    Series("tasks", "Tasks", (("created", "created"), ("completed", "completed")), _tasks)
)


def _counted(singular: str, plural: str, count: int) -> tuple[str, int]:
    return (singular if count == 1 else plural, count)


usage_total_register(lambda: _counted("project", "projects", Project.objects.count()))
usage_total_register(
    lambda: _counted("open task", "open tasks", Task.objects.filter(done=False).count())
)
