"""The usage page: what a workspace did, week by week, from its own tables only."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from core_app.models import Task
from tenants.workspace.models import ApiUsageDay
from tenants.workspace.usage import usage_report, week_start
from tests.factories import ProjectFactory, TaskFactory


def _series(report, key):
    return next(c for c in report["charts"] if c["key"] == key)


def test_the_report_counts_tasks_api_calls_and_members_per_week(acme, globex):
    today = timezone.localdate()
    with schema_context(acme.schema):
        project = ProjectFactory()
        for _ in range(3):
            TaskFactory(project=project)
        done = TaskFactory(project=project, done=True)
        Task.objects.filter(pk=done.pk).update(completed_at=timezone.now())
        old = TaskFactory(project=project)
        Task.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(weeks=3))
        ApiUsageDay.objects.create(day=today, calls=40)
        ApiUsageDay.objects.create(day=today - timedelta(weeks=2), calls=7)
    with schema_context(globex.schema):
        for _ in range(9):
            TaskFactory()
    acme.add_member("m@acme.test")

    with schema_context(acme.schema):
        report = usage_report(weeks=12, today=today)

    tasks = _series(report, "tasks")
    this_week = tasks["points"][-1]
    assert this_week["date"] == week_start(today)
    assert (this_week["created"], this_week["completed"]) == (4, 1)
    assert dict((k, t) for k, _, t in tasks["legend"]) == {"created": 5, "completed": 1}
    calls = _series(report, "api_calls")
    assert [p["calls"] for p in calls["points"]][-3:] == [7, 0, 40]
    assert report["members"] == 2
    # One project, so "project", not "projects".
    assert ("project", 1) in report["extra"] and ("open tasks", 4) in report["extra"]


def test_the_usage_page_draws_the_charts(acme):
    with schema_context(acme.schema):
        TaskFactory()
    page = acme.client().get("/usage/").content.decode()
    assert page.count('<svg class="chart"') == 3
    assert "Tasks" in page and "API calls" in page and "Webhook deliveries" in page
