"""P8 console: the operators' dashboard at fleet size ([operator]: "renders in under 1 s with
10,000 tenants"), against the way it would be written without set-based SQL.

The tenants are public-schema rows (the dashboard never opens a tenant schema): P6's 10,000
tenants and subscriptions when it ran first in this database, else made here. Each
subscription gets a year of history (billing_subscriptionchange), drawn with a fixed seed:
a trial started in the last 12 months, then — for about half — paying on one of the three
plans, some moving plan, some past due and back, some cancelled; the rest lapse or are still
trialing. About 2.6 rows per tenant.

Measured, in one fresh Django process:

- P8.1 the whole dashboard page: `GET /console/` through Django's test client as a signed-in,
  second-factor-verified operator (routing, middleware, every report query, charts, template);
  the peer is the same MRR-by-month numbers computed the obvious way, one ORM query per
  subscription for its history (what a loop over tenants costs); it must agree with the
  set-based numbers.
- P8.2 the statements the page runs (context: the same at 100 and at 10,000 tenants).
- P8.3 the tenants list page (50 of them, filtered and sorted) (context).
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import (
    AWAN,
    Context,
    Row,
    Stats,
    database_recreate,
    job_main,
    run_job,
    run_manage,
    say,
)

DB = "awan_bench"

HISTORY_SQL = """
SELECT setseed(0.42);
DELETE FROM billing_subscriptionchange;
WITH subs AS (
    SELECT s.id, s.tenant_id,
           now() - (random() * interval '360 days') AS started,
           random() AS fate, random() AS plan_pick, random() AS later
      FROM billing_subscription s
),
plans AS (
    SELECT s.*,
           CASE WHEN plan_pick < 0.5 THEN 'starter' WHEN plan_pick < 0.85 THEN 'team'
                ELSE 'business' END AS plan_key,
           CASE WHEN plan_pick < 0.5 THEN 900 WHEN plan_pick < 0.85 THEN 2900
                ELSE 9900 END AS price
      FROM subs s
),
rows AS (
    -- every subscription starts with its trial
    SELECT id, tenant_id, 'trialing' AS status, 'team' AS plan_key, 0 AS mrr, started AS at
      FROM plans
    UNION ALL
    -- about half pay, within their 30 days
    SELECT id, tenant_id, 'active', plan_key, price, started + later * interval '30 days'
      FROM plans WHERE fate < 0.5
    UNION ALL
    -- a tenth of the payers move up to business
    SELECT id, tenant_id, 'active', 'business', 9900,
           started + interval '40 days' + later * interval '60 days'
      FROM plans WHERE fate < 0.05 AND started < now() - interval '100 days'
    UNION ALL
    -- some go past due for a while, then pay again
    SELECT id, tenant_id, 'past_due', plan_key, price,
           started + interval '70 days' + later * interval '10 days'
      FROM plans WHERE fate >= 0.05 AND fate < 0.12 AND started < now() - interval '90 days'
    UNION ALL
    SELECT id, tenant_id, 'active', plan_key, price,
           started + interval '85 days' + later * interval '3 days'
      FROM plans WHERE fate >= 0.05 AND fate < 0.12 AND started < now() - interval '90 days'
    UNION ALL
    -- some payers cancel
    SELECT id, tenant_id, 'canceled', plan_key, 0,
           started + interval '120 days' + later * interval '60 days'
      FROM plans WHERE fate >= 0.12 AND fate < 0.2 AND started < now() - interval '185 days'
    UNION ALL
    -- the trials that didn't convert expire after 30 days (those older than that)
    SELECT id, tenant_id, 'expired', 'team', 0, started + interval '30 days'
      FROM plans WHERE fate >= 0.5 AND started < now() - interval '30 days'
)
INSERT INTO billing_subscriptionchange
       (tenant_id, subscription_key, status, plan_key, mrr_cents, changed_at)
SELECT tenant_id, id, status, plan_key, mrr, at FROM rows;
"""


def _ensure_tenants(count: int) -> int:
    from bench.p6_sweeps import _ensure_tenants as ensure

    return ensure(count)


def _operator_client():
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user, _ = get_user_model().objects.get_or_create(
        username="bench-ops", defaults={"is_staff": True, "email": "ops@bench.test"}
    )
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="bench", confirmed=True)
    client = Client(HTTP_HOST=settings.BASE_DOMAIN)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _naive_mrr(months: list[Any]) -> dict[str, int]:
    """MRR at each month end, the obvious way: each subscription's history, one query each."""
    from billing.models import Subscription, SubscriptionChange

    totals = {str(m): 0 for m in months}
    for sub_id in Subscription.objects.values_list("pk", flat=True).iterator():
        history = list(
            SubscriptionChange.objects.filter(subscription_key=sub_id)
            .order_by("changed_at", "id")
            .values_list("changed_at", "mrr_cents")
        )
        for month in months:
            at = month
            earning = 0
            for changed_at, cents in history:
                if changed_at <= at:
                    earning = cents
            totals[str(month)] += earning
    return totals


def dashboard(*, tenants: int, reps: int, naive_reps: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from tenants.console import reports

    added = _ensure_tenants(tenants)
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL)
        cursor.execute("ANALYZE billing_subscriptionchange")
        cursor.execute("SELECT count(*) FROM billing_subscriptionchange")
        history_rows = cursor.fetchone()[0]
    client = _operator_client()
    assert client.get("/console/").status_code == 200  # warm: routing table, templates
    page_times, list_times = [], []
    statements = 0
    for _ in range(reps):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/console/")
            page_times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        statements = len(captured.captured_queries)
        started = time.perf_counter()
        listed = client.get("/console/tenants/", {"sort": "-mrr", "status": "active"})
        list_times.append(time.perf_counter() - started)
        assert listed.status_code == 200
    now = timezone.now()
    _plans, series = reports.mrr_by_plan(now=now)
    points = [
        min(now, reports._instant(reports._next_month(p["month"]))) for p in series
    ]  # the same instants the report uses
    set_based = {str(at): p["total"] for at, p in zip(points, series, strict=True)}
    naive_times = []
    naive: dict[str, int] = {}
    for _ in range(naive_reps):
        started = time.perf_counter()
        naive = _naive_mrr(points)
        naive_times.append(time.perf_counter() - started)
    return {
        "page_seconds": page_times,
        "list_seconds": list_times,
        "naive_seconds": naive_times,
        "statements": statements,
        "history_rows": history_rows,
        "tenant_rows_added": added,
        "agree": naive == set_based,
        "mrr_now_cents": series[-1]["total"],
    }


def small_statements() -> dict[str, Any]:
    """The page's statement count on a small fleet (100 tenants), for P8.2's comparison."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _ensure_tenants(100)
    with connection.cursor() as cursor:
        cursor.execute(HISTORY_SQL)
    client = _operator_client()
    client.get("/console/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/console/").status_code == 200
    return {"statements": len(captured.captured_queries)}


# --- runner side -----------------------------------------------------------------------------


SMALL_DB = "awan_bench_console"


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    tenants = sizes.p6_tenants
    say(f"P8: the operators' dashboard over {tenants} tenants")
    result = run_job(
        ctx,
        "p8_console",
        "dashboard",
        db=DB,
        args={"tenants": tenants, "reps": sizes.p8_reps, "naive_reps": 1},
    )
    database_recreate(ctx.server_url, SMALL_DB)
    run_manage(ctx, ["release", "--no-pool"], settings=AWAN, db=SMALL_DB, log_name="release-p8")
    small = run_job(ctx, "p8_console", "small_statements", db=SMALL_DB)
    page = Stats.of([s * 1000 for s in result["page_seconds"]])
    naive = Stats.of([s * 1000 for s in result["naive_seconds"]])
    listing = Stats.of([s * 1000 for s in result["list_seconds"]])
    common = {"tenants": tenants, "history_rows": result["history_rows"]}
    agree = bool(result["agree"])
    return [
        Row(
            "P8.1",
            f"console dashboard page, {tenants} tenants",
            "ms",
            page,
            peer=naive,
            peer_name="MRR alone, one query per subscription",
            target="≤ 1000 ms",
            limit=lambda r: 1000,
            check=lambda r: agree,
            sizes=common,
            notes="" if agree else "the per-subscription MRR disagrees with the report's",
        ),
        Row(
            "P8.2",
            f"dashboard statements, {tenants} vs 100 tenants",
            "stmt",
            Stats.single(result["statements"]),
            peer=Stats.single(small["statements"]),
            peer_name="the same page, 100 tenants",
            ratio_of="awan-peer",
            target="the same count",
            limit=lambda r: small["statements"],
            sizes=common,
        ),
        Row(
            "P8.3",
            f"console tenants list (50 of {tenants}, filtered, by MRR) (context)",
            "ms",
            listing,
            sizes=common,
        ),
    ]


if __name__ == "__main__":
    job_main({"dashboard": dashboard, "small_statements": small_statements})
