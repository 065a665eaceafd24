"""Product views: parse input, call a service, render. Lookups go through selectors that only
ever see the request's tenant schema, so another tenant's id is simply "not found"."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from billing.decorators import allowed_when_read_only
from billing.services import PlanLimitReached
from core_app import selectors, services
from core_app.forms import ProjectForm, TaskForm
from core_app.models import Export, Project, Task
from tenants.charts import grouped_bars
from tenants.decorators import allowed_when_deletion_pending
from tenants.flags import feature_required


def _actor(request: HttpRequest) -> AbstractBaseUser:
    """The logged-in user (every view here is behind login_required)."""
    assert isinstance(request.user, AbstractBaseUser)
    return request.user


def _project_or_404(project_id: int) -> Project:
    project = selectors.project_get(project_id=project_id)
    if project is None:
        raise Http404("No such project")
    return project


def _task_or_404(project: Project, task_id: int) -> Task:
    task = selectors.task_get(project=project, task_id=task_id)
    if task is None:
        raise Http404("No such task")
    return task


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    context = {
        "projects": selectors.project_list_with_counts(),
        "totals": selectors.dashboard_totals(),
        "form": ProjectForm(),
    }
    return render(request, "core_app/dashboard.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_new(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(actor=_actor(request), **form.cleaned_data)
        except PlanLimitReached as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"Project “{project.name}” created.")
            return redirect("core_app:project_detail", project_id=project.pk)
    return render(
        request, "core_app/project_form.html", {"form": form}, status=400 if form.errors else 200
    )


@login_required
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    context = {
        "project": project,
        "tasks": project.tasks.all(),
        "exports": selectors.export_list(project=project),
        "task_form": TaskForm(),
    }
    return render(request, "core_app/project_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    initial = {"name": project.name, "description": project.description}
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.project_update(project=project, **form.cleaned_data)
        messages.success(request, "Project saved.")
        return redirect("core_app:project_detail", project_id=project.pk)
    return render(
        request,
        "core_app/project_form.html",
        {"form": form, "project": project},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def project_remove(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    services.project_delete(project=project)
    messages.success(request, f"Project “{project.name}” deleted.")
    return redirect("core_app:dashboard")


@login_required
@require_POST
def task_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    form = TaskForm(request.POST)
    if form.is_valid():
        services.task_create(project=project, **form.cleaned_data)
        return redirect("core_app:project_detail", project_id=project.pk)
    context = {
        "project": project,
        "tasks": project.tasks.all(),
        "task_form": form,
        "exports": selectors.export_list(project=project),
    }
    return render(request, "core_app/project_detail.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def task_edit(request: HttpRequest, project_id: int, task_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    task = _task_or_404(project, task_id)
    form = TaskForm(request.POST or None, initial={"title": task.title, "notes": task.notes})
    if request.method == "POST" and form.is_valid():
        services.task_update(task=task, **form.cleaned_data)
        return redirect("core_app:project_detail", project_id=project.pk)
    return render(
        request,
        "core_app/task_form.html",
        {"form": form, "project": project, "task": task},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def task_toggle(request: HttpRequest, project_id: int, task_id: int) -> HttpResponse:
    task = _task_or_404(_project_or_404(project_id), task_id)
    services.task_set_done(task=task, done=not task.done)
    return redirect("core_app:project_detail", project_id=project_id)


@login_required
@require_POST
def task_remove(request: HttpRequest, project_id: int, task_id: int) -> HttpResponse:
    task = _task_or_404(_project_or_404(project_id), task_id)
    services.task_delete(task=task)
    messages.success(request, "Task deleted.")
    return redirect("core_app:project_detail", project_id=project_id)


@login_required
@require_POST
@allowed_when_read_only  # exports keep working for a read-only tenant: it's their data
@allowed_when_deletion_pending
def export_new(request: HttpRequest, project_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    services.export_request(
        project=project,
        actor=_actor(request),
        schema_name=request.tenant.schema_name,  # type: ignore[attr-defined]
    )
    messages.info(request, "Export queued: it appears below in a few seconds.")
    return redirect("core_app:project_detail", project_id=project.pk)


@login_required
@require_GET
def export_download(request: HttpRequest, project_id: int, export_id: int) -> HttpResponse:
    project = _project_or_404(project_id)
    export = project.exports.filter(pk=export_id, status=Export.Status.DONE).first()
    if export is None:
        raise Http404("No such export")
    response = HttpResponse(export.content, content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="project-{project.pk}-{export.pk}.csv"'
    return response


@login_required
@require_GET
@feature_required("insights")
def insights(request: HttpRequest) -> HttpResponse:
    """Beta: tasks created and completed per day, drawn as a chart."""
    series = selectors.insights_daily(days=14)
    context = {
        "chart": grouped_bars(series, ("created", "completed")),
        "totals": {k: sum(p[k] for p in series) for k in ("created", "completed")},
        "series": series,
    }
    return render(request, "core_app/insights.html", context)
