"""Writes to the product. All run inside the request's (or task's) tenant schema."""

from __future__ import annotations

import io

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from billing.services import plan_limit_hold
from core_app.models import Export, Project, Task
from tenants.db import current_tenant
from tenants.spreadsheet import csv_writer
from tenants.workspace.outbox import event_record


def _project_data(project: Project) -> dict:
    return {"id": project.pk, "name": project.name, "description": project.description}


def _task_data(task: Task) -> dict:
    return {
        "id": task.pk,
        "project_id": task.project_id,
        "title": task.title,
        "notes": task.notes,
        "done": task.done,
        "completed_at": task.completed_at.isoformat() if task.completed_at else None,
    }


def project_create(*, name: str, description: str = "", actor: AbstractBaseUser | None) -> Project:
    """Raises billing's PlanLimitReached when the plan's project allowance is used up."""
    with transaction.atomic():
        plan_limit_hold(tenant=current_tenant(), limit="max_projects", count=Project.objects.count)
        project = Project.objects.create(
            name=name, description=description, created_by_id=actor.pk if actor else None
        )
        event_record("project.created", _project_data(project))
        return project


def project_update(*, project: Project, name: str, description: str) -> Project:
    with transaction.atomic():
        project.name = name
        project.description = description
        project.save(update_fields=["name", "description", "updated_at"])
        event_record("project.updated", _project_data(project))
    return project


def project_delete(*, project: Project) -> None:
    with transaction.atomic():
        data = _project_data(project)
        project.delete()
        event_record("project.deleted", data)


def task_create(*, project: Project, title: str, notes: str = "") -> Task:
    with transaction.atomic():
        task = Task.objects.create(project=project, title=title, notes=notes)
        event_record("task.created", _task_data(task))
    return task


def task_update(*, task: Task, title: str, notes: str) -> Task:
    with transaction.atomic():
        task.title = title
        task.notes = notes
        task.save(update_fields=["title", "notes", "updated_at"])
        event_record("task.updated", _task_data(task))
    return task


def task_set_done(*, task: Task, done: bool) -> Task:
    if task.done == done:
        return task
    with transaction.atomic():
        task.done = done
        task.completed_at = timezone.now() if done else None
        task.save(update_fields=["done", "completed_at", "updated_at"])
        event_record("task.completed" if done else "task.reopened", _task_data(task))
    return task


def task_delete(*, task: Task) -> None:
    with transaction.atomic():
        data = _task_data(task)
        task.delete()
        event_record("task.deleted", data)


EXPORTS_KEPT = 3


def export_request(*, project: Project, actor: AbstractBaseUser | None, schema_name: str) -> Export:
    """Queue a CSV export; the worker builds it once the request's transaction commits.
    Asking again while one is still being built returns that one instead of a second."""
    from core_app.tasks import project_export_build

    with transaction.atomic():
        Project.objects.select_for_update().filter(pk=project.pk).first()
        pending = project.exports.filter(status=Export.Status.PENDING).first()
        if pending is not None:
            return pending
        export = Export.objects.create(project=project, requested_by_id=actor.pk if actor else None)
        transaction.on_commit(
            lambda: project_export_build.delay(schema_name=schema_name, export_id=export.pk)
        )
    return export


EXPORT_COLUMNS = ["id", "title", "notes", "done", "created_at", "completed_at"]


def export_build(*, export: Export) -> Export:
    """Render the project's tasks as CSV into the export (formula-safe cells), then keep only
    the newest few finished exports. Re-running rebuilds the same file."""
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    tasks = export.project.tasks.order_by("id")
    for task in tasks:
        writer.writerow(
            [
                task.pk,
                task.title,
                task.notes,
                task.done,
                task.created_at.isoformat(),
                task.completed_at.isoformat() if task.completed_at else "",
            ]
        )
    with transaction.atomic():
        export.content = buffer.getvalue()
        export.row_count = tasks.count()
        export.status = Export.Status.DONE
        export.finished_at = timezone.now()
        export.save(update_fields=["content", "row_count", "status", "finished_at"])
        done = export.project.exports.filter(status=Export.Status.DONE)
        keep = list(
            done.order_by("-finished_at", "-id").values_list("pk", flat=True)[:EXPORTS_KEPT]
        )
        done.exclude(pk__in=keep).delete()
    return export
