"""The usage page: what the workspace did, week by week, drawn as charts.

Platform series (members, API calls, webhook deliveries) are defined here; the product adds its
own through `usage_series_register` (core_app/usage.py registers tasks created and completed),
so this module never reaches into the product's tables.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from tenants.charts import grouped_bars
from tenants.workspace.models import ApiUsageDay, WebhookDelivery

Weekly = Callable[[date], dict[date, dict[str, int]]]


@dataclass(frozen=True)
class Series:
    key: str
    title: str
    parts: tuple[tuple[str, str], ...]  # (key, label) of each bar in a week's group
    weekly: Weekly


_REGISTRY: list[Series] = []


def usage_series_register(series: Series) -> None:
    if any(s.key == series.key for s in _REGISTRY):
        return
    _REGISTRY.append(series)


def weeks_since(start: date, weeks: int) -> list[date]:
    return [start + timedelta(weeks=n) for n in range(weeks)]


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def per_week(queryset: Any, field: str, since: date, **aggregates: Any) -> dict[date, dict]:
    rows = (
        queryset.filter(**{f"{field}__date__gte": since} if field != "day" else {"day__gte": since})
        .annotate(week=TruncWeek(field))
        .values("week")
        .annotate(**aggregates)
    )
    out: dict[date, dict] = {}
    for row in rows:
        week = row.pop("week")
        week = week.date() if hasattr(week, "date") else week
        out[week] = {k: int(v or 0) for k, v in row.items()}
    return out


def _api_calls(since: date) -> dict[date, dict[str, int]]:
    return per_week(ApiUsageDay.objects.all(), "day", since, calls=Sum("calls"))


def _deliveries(since: date) -> dict[date, dict[str, int]]:
    return per_week(
        WebhookDelivery.objects.all(),
        "created",
        since,
        delivered=Count("id", filter=Q(status=WebhookDelivery.Status.SUCCEEDED)),
        failed=Count(
            "id",
            filter=Q(status__in=[WebhookDelivery.Status.RETRYING, WebhookDelivery.Status.GAVE_UP]),
        ),
    )


PLATFORM_SERIES = [
    Series("api_calls", "API calls", (("calls", "calls"),), _api_calls),
    Series(
        "webhooks",
        "Webhook deliveries",
        (("delivered", "delivered"), ("failed", "failed")),
        _deliveries,
    ),
]


def usage_report(*, weeks: int = 12, today: date | None = None) -> dict[str, Any]:
    today = today or timezone.localdate()
    start = week_start(today) - timedelta(weeks=weeks - 1)
    charts = []
    for series in [*_REGISTRY, *PLATFORM_SERIES]:
        data = series.weekly(start)
        points: list[dict[str, Any]] = []
        for week in weeks_since(start, weeks):
            counts = data.get(week, {})
            points.append({"date": week, **{key: counts.get(key, 0) for key, _ in series.parts}})
        keys = tuple(key for key, _ in series.parts)
        charts.append(
            {
                "key": series.key,
                "title": series.title,
                "parts": series.parts,
                "legend": [
                    (key, label, sum(p[key] for p in points)) for key, label in series.parts
                ],
                "chart": grouped_bars(points, keys),
                "points": points,
            }
        )
    return {
        "weeks": weeks,
        "since": start,
        "members": get_user_model().objects.filter(is_active=True).count(),
        "charts": charts,
        "extra": [fn() for fn in _TOTALS],
    }


_TOTALS: list[Callable[[], tuple[str, int]]] = []


def usage_total_register(total: Callable[[], tuple[str, int]]) -> None:
    """A headline number for the usage page, e.g. ("projects", 12)."""
    if total not in _TOTALS:
        _TOTALS.append(total)
