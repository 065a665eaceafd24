"""The dashboard's numbers against a known history: six subscriptions whose every change is
written out below, and the MRR, churn, conversion, signups and trials they must give. The
dates sit in the five months before this one, so the test reads the same any day it runs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest

from billing.models import SubscriptionChange
from tenants.channels import channel_set
from tenants.console import reports


def _month(k: int) -> date:
    """Month k of the story: 0 is five months before this one, 5 is this month."""
    today = date.today()
    index = today.year * 12 + today.month - 1 - 5 + k
    return date(index // 12, index % 12 + 1, 1)


def at(k: int, day: int, hour: int = 12) -> datetime:
    m = _month(k)
    return datetime(m.year, m.month, day, hour, tzinfo=UTC)


# subscription → [(when, status, plan, price in cents while paying)]
STORY = {
    1: [(at(0, 5), "trialing", "team", 0), (at(0, 20), "active", "team", 2900)],
    2: [
        (at(0, 10), "trialing", "team", 0),
        (at(1, 2), "active", "starter", 900),
        (at(3, 10), "canceled", "starter", 0),
    ],
    3: [(at(1, 3), "trialing", "team", 0), (at(2, 5), "expired", "team", 0)],
    4: [
        (at(2, 2), "trialing", "team", 0),
        (at(2, 20), "active", "business", 9900),
        (at(4, 2), "past_due", "business", 9900),
        (at(4, 5), "active", "business", 9900),
    ],
    5: [(at(5, 1), "trialing", "team", 0)],
    6: [(at(5, 8), "trialing", "team", 0), (at(5, 10), "active", "team", 2900)],
}
NOW = at(5, 15)


@pytest.fixture
def story(seeded_tenants, db):
    # Only this story's history (the rows of the session's own tenants are set aside; the
    # test's transaction rolls all of it back).
    SubscriptionChange.objects.all().delete()
    SubscriptionChange.objects.bulk_create(
        SubscriptionChange(
            subscription_key=900_000 + key,
            changed_at=when,
            status=status,
            plan_key=plan,
            mrr_cents=cents,
        )
        for key, changes in STORY.items()
        for when, status, plan, cents in changes
    )


def _by_month(series, key="month"):
    return {p[key]: p for p in series}


def test_mrr_at_each_month_end_per_plan_and_its_change(story):
    plans, series = reports.mrr_by_plan(now=NOW)
    months = _by_month(series)
    assert [months[_month(k)]["total"] for k in range(6)] == [
        2900,  # 1 on team
        2900 + 900,  # 2 moved to starter on day 2
        2900 + 900 + 9900,  # 4 on business
        2900 + 9900,  # 2 cancelled on day 10
        2900 + 9900,  # 4 past due, then paid again: still earning
        2900 + 9900 + 2900,  # this month, so far: 6 on team
    ]
    assert months[_month(5)]["team"] == 5800 and months[_month(5)]["business"] == 9900
    assert months[_month(3)]["change"] == round(100 * (12800 - 13700) / 13700, 1) == -6.6
    assert months[_month(5)]["change"] == 22.7
    assert set(plans) == {"team", "starter", "business"}
    assert len(series) == 12 and series[0]["total"] == 0 and series[0]["change"] is None


def test_churn_counts_subscriptions_that_stopped_paying_and_the_mrr_they_took(story):
    months = _by_month(reports.churn_per_month(now=NOW))
    month3 = months[_month(3)]
    assert (month3["paying_at_start"], month3["churned"], month3["mrr_lost_cents"]) == (3, 1, 900)
    assert month3["rate"] == 33.3
    # Past due and back is not churn, and neither is a trial that lapsed.
    assert months[_month(4)]["churned"] == 0 and months[_month(4)]["paying_at_start"] == 2
    assert months[_month(2)]["churned"] == 0 and months[_month(2)]["paying_at_start"] == 2


def test_conversion_by_signup_month(story):
    cohorts = _by_month(reports.conversion_by_cohort(now=NOW), key="cohort")
    first = cohorts[_month(0)]
    assert (first["signups"], first["converted"], first["lapsed"], first["rate"]) == (2, 2, 0, 100)
    second = cohorts[_month(1)]
    assert (second["signups"], second["converted"], second["lapsed"], second["rate"]) == (
        1,
        0,
        1,
        0.0,
    )
    this = cohorts[_month(5)]
    assert (this["signups"], this["converted"], this["trialing"], this["lapsed"]) == (2, 1, 1, 0)
    assert this["rate"] == 100.0  # of the decided ones; the one still trialing doesn't count yet
    assert cohorts[_month(3)]["signups"] == 0 and cohorts[_month(3)]["rate"] is None


def test_signups_and_trials_per_week(story):
    signups = reports.signups_per_week(now=NOW)
    first_week = signups[0]["week"]
    expected: dict[date, int] = {}
    for changes in STORY.values():
        started = changes[0][0].date()
        week = started - timedelta(days=started.weekday())
        if week >= first_week:
            expected[week] = expected.get(week, 0) + 1
    assert {p["week"]: p["signups"] for p in signups if p["signups"]} == expected
    assert sum(p["signups"] for p in signups) >= 2  # subscriptions 5 and 6, this month
    trials = reports.trials_per_week(now=NOW)
    assert trials[-1]["trialing"] == 1  # now: 5 trials; 6 already pays
    week_of_5 = {p["week"]: p["trialing"] for p in trials}
    start5 = at(5, 1).date() - timedelta(days=at(5, 1).weekday())
    assert week_of_5[start5] >= 1


def test_tenants_by_channel_and_status_follow_the_tenants(story, acme, globex):
    before = {row["key"]: row["tenants"] for row in reports.tenants_by_channel()}
    channel_set(tenant=acme.tenant, channel="beta", actor="operator:test", reason="test")
    after = {row["key"]: row["tenants"] for row in reports.tenants_by_channel()}
    assert after["beta"] == before["beta"] + 1 and after["stable"] == before["stable"] - 1
    statuses = {row["key"]: row["tenants"] for row in reports.tenants_by_status()}
    assert statuses.get("trialing", 0) >= 2  # acme and globex are in their trials
    from billing.models import Subscription

    Subscription.objects.filter(tenant=acme.tenant).update(status="active")
    rows = {row["key"]: row["status"] for row in reports.tenants_by_status()}
    assert rows["active"] == "Paying"  # an active tenant's billing status, not "Active"


def test_the_dashboard_takes_the_same_few_queries_whatever_the_history(story, operator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        reports.dashboard(now=NOW)
    SubscriptionChange.objects.bulk_create(
        SubscriptionChange(
            subscription_key=800_000 + n,
            changed_at=at(n % 5, 1 + n % 27),
            status="active",
            plan_key="team",
            mrr_cents=2900,
        )
        for n in range(500)
    )
    with CaptureQueriesContext(connection) as large:
        board = reports.dashboard(now=NOW)
    assert len(large.captured_queries) == len(small.captured_queries) <= 12
    assert board.mrr[-1]["total"] == 15700 + 500 * 2900


def test_each_series_downloads_as_csv_with_the_dashboards_numbers(story, operator_client):
    response = operator_client.get("/console/series/mrr.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    totals = {row["month"]: int(row["total_cents"]) for row in rows}
    assert totals[_month(2).isoformat()] == 13700 and totals[_month(3).isoformat()] == 12800
    for name in reports.CSV_SERIES:
        assert operator_client.get(f"/console/series/{name}.csv").status_code == 200
    assert operator_client.get("/console/series/nope.csv").status_code == 404


def test_the_dashboard_page_shows_the_charts(story, operator_client):
    page = operator_client.get("/console/")
    assert page.status_code == 200
    html = page.content.decode()
    for chart in ("signups", "trials", "conversion", "mrr", "churn", "tenants"):
        assert f'id="chart-{chart}"' in html
    assert "<svg" in html and "MRR" in html
