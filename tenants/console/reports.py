"""The business at a glance, for operators: signups, trials, conversion, MRR, churn, and where
the tenants are. The seed's "reporting services", for the people who run the SaaS.

Everything is computed from public-schema tables with set-based SQL — one statement per
series, never a loop over tenants or their schemas — so the dashboard costs the same handful of
queries at 10 tenants or 10,000 (bench/p8_console.py measures it).

Money and conversion come from billing_subscriptionchange: a row each time a subscription's
status or plan changed (a database trigger writes them, whatever made the change). A row's
"span" lasts until the subscription's next row. A subscription earns its plan's price while
it is active or past due; it churns when it leaves those for canceled, expired or deleted.
Its first row is its signup (every signup starts a trial), so purged tenants still count in the
history they made.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from billing.models import Plan
from tenants.models import Tenant

PAID = ("active", "past_due")

_SPANS = """
WITH spans AS (
    SELECT subscription_key, status, plan_key, mrr_cents, changed_at AS since,
           lead(changed_at) OVER w AS until,
           lag(status) OVER w AS previous,
           lag(mrr_cents) OVER w AS previous_mrr
      FROM billing_subscriptionchange
    WINDOW w AS (PARTITION BY subscription_key ORDER BY changed_at, id)
)
"""
_SUBS = """
WITH subs AS (
    SELECT subscription_key, min(changed_at) AS started,
           bool_or(status IN ('active', 'past_due')) AS paid,
           (array_agg(status ORDER BY changed_at DESC, id DESC))[1] AS latest
      FROM billing_subscriptionchange
     GROUP BY subscription_key
)
"""


def _rows(sql: str, params: list[Any]) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def month_start(day: date) -> date:
    return day.replace(day=1)


def months_back(start: date, count: int) -> list[date]:
    """`count` month starts ending with `start`'s month, oldest first."""
    months = []
    year, month = start.year, start.month
    for _ in range(count):
        months.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return months[::-1]


def _instant(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


# --- the series ---------------------------------------------------------------------------
def signups_per_week(*, now: datetime, weeks: int = 12) -> list[dict[str, Any]]:
    first = week_start(now.date()) - timedelta(weeks=weeks - 1)
    counts = dict(
        _rows(
            _SUBS + "SELECT date_trunc('week', started)::date, count(*) FROM subs "
            "WHERE started >= %s AND started <= %s GROUP BY 1",
            [_instant(first), now],
        )
    )
    return [
        {"week": first + timedelta(weeks=i), "signups": counts.get(first + timedelta(weeks=i), 0)}
        for i in range(weeks)
    ]


def trials_per_week(*, now: datetime, weeks: int = 12) -> list[dict[str, Any]]:
    """Trials running at the end of each week (the current week: now)."""
    first = week_start(now.date()) - timedelta(weeks=weeks - 1)
    points = [min(now, _instant(first + timedelta(weeks=i + 1))) for i in range(weeks)]
    counts = dict(
        _rows(
            _SPANS + "SELECT p.at, count(s.subscription_key) FROM unnest(%s::timestamptz[]) "
            "AS p(at) LEFT JOIN spans s ON s.status = 'trialing' AND s.since <= p.at "
            "AND (s.until IS NULL OR s.until > p.at) GROUP BY p.at",
            [points],
        )
    )
    return [
        {"week": first + timedelta(weeks=i), "trialing": counts.get(at, 0)}
        for i, at in enumerate(points)
    ]


def trials_active_now(*, now: datetime) -> int:
    from billing.models import Subscription

    return Subscription.objects.filter(
        status=Subscription.Status.TRIALING,
        trial_end__gt=now,
        tenant__status__in=[Tenant.Status.ACTIVE, Tenant.Status.PROVISIONING],
    ).count()


def conversion_by_cohort(*, now: datetime, months: int = 6) -> list[dict[str, Any]]:
    """Per signup month: how many trials became paying, how many are still deciding, and
    how many lapsed. The rate is converted / decided (the ones still in trial don't count yet)."""
    cohorts = months_back(month_start(now.date()), months)
    found = {
        row[0]: row[1:]
        for row in _rows(
            _SUBS + "SELECT date_trunc('month', started)::date, count(*), "
            "count(*) FILTER (WHERE paid), "
            "count(*) FILTER (WHERE NOT paid AND latest = 'trialing') "
            "FROM subs WHERE started >= %s AND started <= %s GROUP BY 1",
            [_instant(cohorts[0]), now],
        )
    }
    series = []
    for cohort in cohorts:
        total, converted, trialing = found.get(cohort, (0, 0, 0))
        decided = total - trialing
        series.append(
            {
                "cohort": cohort,
                "signups": total,
                "converted": converted,
                "trialing": trialing,
                "lapsed": decided - converted,
                "rate": round(100 * converted / decided, 1) if decided else None,
            }
        )
    return series


def mrr_by_plan(*, now: datetime, months: int = 12) -> tuple[list[str], list[dict[str, Any]]]:
    """MRR (cents) at the end of each month, per plan; the current month: now. Returns the
    plan keys (in the plans' order) and the series, each point with `total` and `change` (%
    against the month before)."""
    month_list = months_back(month_start(now.date()), months)
    points = [min(now, _instant(_next_month(m))) for m in month_list]
    rows = _rows(
        _SPANS + "SELECT p.at, s.plan_key, sum(s.mrr_cents) FROM unnest(%s::timestamptz[]) "
        "AS p(at) JOIN spans s ON s.mrr_cents > 0 AND s.since <= p.at "
        "AND (s.until IS NULL OR s.until > p.at) GROUP BY p.at, s.plan_key",
        [points],
    )
    ordered = list(Plan.objects.values_list("key", flat=True))
    seen = {plan for _, plan, _ in rows}
    plans = [p for p in ordered if p in seen] + sorted(seen - set(ordered))
    by_point: dict[datetime, dict[str, int]] = {}
    for at, plan, cents in rows:
        by_point.setdefault(at, {})[plan] = int(cents)
    series: list[dict[str, Any]] = []
    for month, at in zip(month_list, points, strict=True):
        values = by_point.get(at, {})
        point: dict[str, Any] = {"month": month, **{p: values.get(p, 0) for p in plans}}
        point["total"] = sum(values.values())
        previous = series[-1]["total"] if series else None
        point["change"] = (
            round(100 * (point["total"] - previous) / previous, 1) if previous else None
        )
        series.append(point)
    return plans, series


def churn_per_month(*, now: datetime, months: int = 12) -> list[dict[str, Any]]:
    """Per month: paying subscriptions at its start, how many stopped paying during it, the
    rate, and the MRR they took with them (two statements, each one pass over the history)."""
    month_list = months_back(month_start(now.date()), months)
    starts = [_instant(m) for m in month_list]
    paying = dict(
        _rows(
            _SPANS + "SELECT p.at, count(s.subscription_key) FROM unnest(%s::timestamptz[]) "
            "AS p(at) LEFT JOIN spans s ON s.mrr_cents > 0 AND s.since <= p.at "
            "AND (s.until IS NULL OR s.until > p.at) GROUP BY p.at",
            [starts],
        )
    )
    churned = {
        month: (count, lost)
        for month, count, lost in _rows(
            _SPANS + "SELECT date_trunc('month', since)::date, count(*), "
            "coalesce(sum(previous_mrr), 0) FROM spans "
            "WHERE previous IN ('active', 'past_due') AND status NOT IN ('active', 'past_due') "
            "AND since >= %s AND since <= %s GROUP BY 1",
            [starts[0], now],
        )
    }
    series = []
    for month, start in zip(month_list, starts, strict=True):
        at_start = paying.get(start, 0)
        count, lost = churned.get(month, (0, 0))
        series.append(
            {
                "month": month,
                "paying_at_start": at_start,
                "churned": count,
                "rate": round(100 * count / at_start, 1) if at_start else None,
                "mrr_lost_cents": int(lost),
            }
        )
    return series


def tenants_by_channel() -> list[dict[str, Any]]:
    counts = dict(
        _rows(
            "SELECT channel, count(*) FROM tenants_tenant WHERE schema_name <> 'public' "
            "GROUP BY channel",
            [],
        )
    )
    return [
        {"channel": c.label, "key": c.value, "tenants": counts.get(c.value, 0)}
        for c in Tenant.Channel
    ]


def tenants_by_status() -> list[dict[str, Any]]:
    """Lifecycle (active, suspended, pending deletion…) and, for the active, billing status."""
    rows = _rows(
        "SELECT t.status, coalesce(s.status, 'none'), count(*) FROM tenants_tenant t "
        "LEFT JOIN billing_subscription s ON s.tenant_id = t.id "
        "WHERE t.schema_name <> 'public' GROUP BY 1, 2",
        [],
    )
    labels = {
        "trialing": "Trialing",
        "active": "Paying",
        "past_due": "Past due",
        "expired": "Trial expired",
        "canceled": "Canceled",
        "none": "No subscription",
    }
    counts: dict[str, int] = {}
    for status, billing, count in rows:
        key = billing if status == Tenant.Status.ACTIVE else status
        counts[key] = counts.get(key, 0) + count
    order = [*labels, *(s.value for s in Tenant.Status if s != Tenant.Status.ACTIVE)]
    names = {**{s.value: s.label for s in Tenant.Status}, **labels}  # "active" reads "Paying"
    return [{"status": names[k], "key": k, "tenants": counts[k]} for k in order if k in counts]


# --- the dashboard ------------------------------------------------------------------------
@dataclass
class Dashboard:
    now: datetime
    signups: list[dict[str, Any]]
    trials: list[dict[str, Any]]
    trials_now: int
    conversion: list[dict[str, Any]]
    plans: list[str]
    mrr: list[dict[str, Any]]
    churn: list[dict[str, Any]]
    by_channel: list[dict[str, Any]]
    by_status: list[dict[str, Any]]

    @property
    def mrr_now(self) -> int:
        return self.mrr[-1]["total"] if self.mrr else 0

    @property
    def mrr_change(self) -> float | None:
        return self.mrr[-1]["change"] if self.mrr else None

    @property
    def tenants(self) -> int:
        return sum(row["tenants"] for row in self.by_status)


def dashboard(*, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    plans, mrr = mrr_by_plan(now=now)
    return Dashboard(
        now=now,
        signups=signups_per_week(now=now),
        trials=trials_per_week(now=now),
        trials_now=trials_active_now(now=now),
        conversion=conversion_by_cohort(now=now),
        plans=plans,
        mrr=mrr,
        churn=churn_per_month(now=now),
        by_channel=tenants_by_channel(),
        by_status=tenants_by_status(),
    )


# Each series as CSV rows: name → (header, rows from a Dashboard).
def csv_series(name: str, board: Dashboard) -> tuple[list[str], list[list[Any]]]:
    if name == "signups":
        return ["week", "signups"], [[p["week"], p["signups"]] for p in board.signups]
    if name == "trials":
        return ["week", "trials_running_at_week_end"], [
            [p["week"], p["trialing"]] for p in board.trials
        ]
    if name == "conversion":
        keys = ["cohort", "signups", "converted", "trialing", "lapsed", "rate"]
        header = ["cohort_month", "signups", "converted", "trialing", "lapsed", "rate_percent"]
        return header, [[p[k] for k in keys] for p in board.conversion]
    if name == "mrr":
        header = ["month", *[f"{p}_cents" for p in board.plans], "total_cents", "change_percent"]
        return header, [
            [p["month"], *[p[plan] for plan in board.plans], p["total"], p["change"]]
            for p in board.mrr
        ]
    if name == "churn":
        header = ["month", "paying_at_start", "churned", "rate_percent", "mrr_lost_cents"]
        return header, [
            [p["month"], p["paying_at_start"], p["churned"], p["rate"], p["mrr_lost_cents"]]
            for p in board.churn
        ]
    if name == "channels":
        return ["channel", "tenants"], [[p["key"], p["tenants"]] for p in board.by_channel]
    if name == "statuses":
        return ["status", "tenants"], [[p["key"], p["tenants"]] for p in board.by_status]
    raise KeyError(name)


CSV_SERIES = ("signups", "trials", "conversion", "mrr", "churn", "channels", "statuses")
