"""The operators' console (/console/ on the public host): the dashboard, the tenants, and
their lifecycle. Views stay thin: the reads are tenants.console.reports/selectors, the writes
tenants.lifecycle and tenants.archive, the same services the management commands call."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from billing.models import Plan, Subscription
from tenants import conf
from tenants.archive import (
    export_chunks,
    export_downloaded,
    export_progress,
    restore_request,
    restore_state,
)
from tenants.audit import actor_operator
from tenants.charts import stacked_bars
from tenants.console import reports
from tenants.console.access import operator_required
from tenants.console.selectors import (
    ACTIVITY_CHOICES,
    SORTS,
    TenantFilters,
    tenant_page,
    tenants_filtered,
)
from tenants.forms import NAME_MAX_LENGTH, SUBDOMAIN_MAX_LENGTH, ReasonField
from tenants.lifecycle import (
    LifecycleRefused,
    tenant_delete_cancel,
    tenant_delete_request,
    tenant_export_request,
    tenant_reactivate,
    tenant_suspend,
)
from tenants.models import PublicTenantProtected, Tenant, TenantExport
from tenants.spreadsheet import csv_response

PER_PAGE = 50


def _money(cents: int) -> str:
    return f"${cents / 100:,.0f}"


def _charts(board: reports.Dashboard) -> list[dict[str, Any]]:
    names = dict(Plan.objects.values_list("key", "name"))
    signups = [{"label": p["week"].strftime("%d %b"), "n": p["signups"]} for p in board.signups]
    trials = [{"label": p["week"].strftime("%d %b"), "n": p["trialing"]} for p in board.trials]
    conversion = [{"label": p["cohort"].strftime("%b %y"), **p} for p in board.conversion]
    mrr = [{"label": p["month"].strftime("%b"), **p} for p in board.mrr]
    churn = [{"label": p["month"].strftime("%b"), "n": p["churned"]} for p in board.churn]
    return [
        {
            "key": "signups",
            "title": "Signups per week",
            "legend": [("series-0", "signups", sum(p["n"] for p in signups))],
            "chart": stacked_bars(signups, ("n",)),
        },
        {
            "key": "trials",
            "title": "Trials running (at each week's end)",
            "legend": [("series-0", "running now", board.trials_now)],
            "chart": stacked_bars(trials, ("n",)),
        },
        {
            "key": "conversion",
            "title": "Trial → paid, by signup month",
            "legend": [
                ("series-1", "converted", sum(p["converted"] for p in conversion)),
                ("series-2", "still in trial", sum(p["trialing"] for p in conversion)),
                ("series-3", "lapsed", sum(p["lapsed"] for p in conversion)),
            ],
            "chart": stacked_bars(
                conversion,
                ("converted", "trialing", "lapsed"),
                classes=("series-1", "series-2", "series-3"),
            ),
        },
        {
            "key": "mrr",
            "title": "MRR by plan (month end)",
            "legend": [
                (f"series-{i}", names.get(plan, plan), _money(board.mrr[-1][plan]))
                for i, plan in enumerate(board.plans)
            ],
            "chart": stacked_bars(mrr, tuple(board.plans), fmt="${:,.0f}", scale=0.01),
        },
        {
            "key": "churn",
            "title": "Churned subscriptions per month",
            "legend": [("series-3", "churned", sum(p["n"] for p in churn))],
            "chart": stacked_bars(churn, ("n",), classes=("series-3",)),
        },
    ]


@require_GET
@operator_required
def dashboard(request: HttpRequest) -> HttpResponse:
    board = reports.dashboard()
    churn = {p["month"]: p for p in board.churn}
    mrr_rows = [
        {
            "month": p["month"],
            "values": [_money(p[plan]) for plan in board.plans],
            "total": _money(p["total"]),
            "change": p["change"],
            "churned": churn.get(p["month"], {}).get("churned", 0),
            "churn_rate": churn.get(p["month"], {}).get("rate"),
        }
        for p in reversed(board.mrr)
    ]
    names = dict(Plan.objects.values_list("key", "name"))
    context = {
        "board": board,
        "plan_names": [names.get(plan, plan) for plan in board.plans],
        "mrr_rows": mrr_rows,
        "charts": _charts(board),
        "mrr_now": _money(board.mrr_now),
        "csv_series": reports.CSV_SERIES,
    }
    return render(request, "console/dashboard.html", context)


@require_GET
@operator_required
def series_csv(request: HttpRequest, name: str) -> HttpResponse:
    if name not in reports.CSV_SERIES:
        raise Http404("No such series.")
    header, rows = reports.csv_series(name, reports.dashboard())
    stamp = timezone.now().strftime("%Y%m%d")
    return csv_response(f"awan-{name}-{stamp}.csv", header, rows)


class FilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=150, label="Search")
    status = forms.ChoiceField(required=False)
    plan = forms.ChoiceField(required=False)
    channel = forms.ChoiceField(
        required=False, choices=[("", "Any channel"), *Tenant.Channel.choices]
    )
    activity = forms.ChoiceField(
        required=False, choices=[("", "Any activity"), *ACTIVITY_CHOICES.items()]
    )
    trial_ending = forms.BooleanField(required=False, label="Trial ends within 7 days")
    past_due = forms.BooleanField(required=False, label="Past due")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("-created", "Newest"),
            ("created", "Oldest"),
            ("name", "Name"),
            ("-activity", "Recently active"),
            ("trial_end", "Trial ending first"),
            ("-mrr", "Highest MRR"),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        statuses = [(s.value, s.label) for s in Tenant.Status]
        billing = [(s.value, f"Billing: {s.label}") for s in Subscription.Status]
        self.fields["status"].choices = [("", "Any status"), *statuses, *billing]  # type: ignore[attr-defined]
        plans = list(Plan.objects.values_list("key", "name"))
        self.fields["plan"].choices = [("", "Any plan"), *plans]  # type: ignore[attr-defined]

    def filters(self) -> TenantFilters:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "-created"
        return TenantFilters(
            q=data.get("q", ""),
            status=data.get("status", ""),
            plan=data.get("plan", ""),
            channel=data.get("channel", ""),
            activity=data.get("activity", ""),
            trial_ending=bool(data.get("trial_ending")),
            past_due=bool(data.get("past_due")),
            sort=sort if sort in SORTS else "-created",
        )


@require_GET
@operator_required
def tenant_list(request: HttpRequest) -> HttpResponse:
    form = FilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "console/tenants.html", {"form": form, "page": None}, status=400)
    page = Paginator(tenants_filtered(form.filters()), PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "now": timezone.now()}
    return render(request, "console/tenants.html", context)


def _tenant_or_404(subdomain: str) -> Tenant:
    tenant = get_object_or_404(Tenant.objects.exclude(schema_name="public"), subdomain=subdomain)
    return tenant


@require_GET
@operator_required
def tenant_detail(request: HttpRequest, subdomain: str) -> HttpResponse:
    tenant = _tenant_or_404(subdomain)
    data = tenant_page(tenant=tenant)
    exports = [(e, *export_progress(e)) for e in data.exports]
    building = any(e.status in (TenantExport.Status.PENDING, TenantExport.Status.BUILDING)
                   for e in data.exports)  # fmt: skip
    context = {
        "t": data,
        "tenant_obj": tenant,
        "exports": exports,
        "refresh": building,
        "grace_days": conf.deletion_grace_days(),
    }
    return render(request, "console/tenant.html", context)


def _form_errors(form: forms.Form) -> str:
    return "; ".join(str(e) for errors in form.errors.values() for e in errors)


class ReasonForm(forms.Form):
    reason = ReasonField()


class OptionalReasonForm(forms.Form):
    reason = ReasonField(required=False)


class DeleteForm(forms.Form):
    reason = ReasonField()
    grace_days = forms.IntegerField(min_value=0, max_value=365, required=False)


class RestoreForm(forms.Form):
    subdomain = forms.CharField(max_length=SUBDOMAIN_MAX_LENGTH)
    name = forms.CharField(max_length=NAME_MAX_LENGTH, required=False)


ACTIONS = {
    "suspend": (
        ReasonForm,
        lambda t, actor, d: tenant_suspend(tenant=t, actor=actor, reason=d["reason"]),
        "Suspended: its users now see the reason you gave.",
    ),
    "reactivate": (
        OptionalReasonForm,
        lambda t, actor, d: tenant_reactivate(tenant=t, actor=actor, reason=d["reason"]),
        "Reactivated.",
    ),
    "export": (
        OptionalReasonForm,
        lambda t, actor, d: tenant_export_request(tenant=t, actor=actor, reason=d["reason"]),
        "Export queued: it appears below with its progress, then a download link.",
    ),
    "delete": (
        DeleteForm,
        lambda t, actor, d: tenant_delete_request(
            tenant=t, actor=actor, reason=d["reason"], grace_days=d.get("grace_days")
        ),
        "Deletion scheduled: the workspace is read-only and a final export is on its way.",
    ),
    "delete_cancel": (
        OptionalReasonForm,
        lambda t, actor, d: tenant_delete_cancel(tenant=t, actor=actor, reason=d["reason"]),
        "Deletion cancelled.",
    ),
}


@require_POST
@operator_required
def tenant_action(request: HttpRequest, subdomain: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action.")
    tenant = _tenant_or_404(subdomain)
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("console:tenant", subdomain=subdomain)
    try:
        run(tenant, actor_operator(request.user), form.cleaned_data)  # type: ignore[arg-type]
    except (LifecycleRefused, PublicTenantProtected) as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("console:tenant", subdomain=subdomain)


@require_GET
@operator_required
def export_list(request: HttpRequest) -> HttpResponse:
    exports = TenantExport.objects.all()[:200]
    context = {"exports": [(e, *export_progress(e)) for e in exports], "form": RestoreForm()}
    return render(request, "console/exports.html", context)


@require_GET
@operator_required
def export_download(request: HttpRequest, export_id: int) -> StreamingHttpResponse:
    export = get_object_or_404(TenantExport, pk=export_id, status=TenantExport.Status.READY)
    export_downloaded(export=export, actor=actor_operator(request.user))  # type: ignore[arg-type]
    response = StreamingHttpResponse(export_chunks(export), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["Content-Length"] = str(export.size)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@operator_required
def export_restore(request: HttpRequest, export_id: int) -> HttpResponse:
    """Queue a restore of this export into a new tenant (the worker runs it: a big tenant takes
    longer than a web request may), then watch it."""
    export = get_object_or_404(TenantExport, pk=export_id, status=TenantExport.Status.READY)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("console:exports")
    job = restore_request(
        export=export,
        subdomain=form.cleaned_data["subdomain"].strip().lower(),
        name=form.cleaned_data["name"],
        actor=actor_operator(request.user),  # type: ignore[arg-type]
    )
    return redirect("console:restore", job=job)


@require_GET
@operator_required
def restore_status(request: HttpRequest, job: str) -> HttpResponse:
    state = restore_state(job=job)
    if state is None:
        raise Http404("No such restore.")
    if state["state"] == "done":
        messages.success(request, state["message"])
        return redirect("console:tenant", subdomain=state["subdomain"])
    context = {"state": state, "refresh": state["state"] != "failed"}
    return render(request, "console/restore.html", context)
