"""P6 sweeps: `billing.trials.trial_sweep()` over 10,000 tenants, catch-up included.

Subscriptions are public-schema rows, so the bench makes them in bulk: the fleet's tenants, and
(when the fleet is smaller than the sweep's size) more Tenant rows without a schema — this runs
last, when nothing else needs the fleet. Before each timed sweep every subscription is reset
to `trialing` with its trial_end spread so that 8,471 have exactly one reminder due (trial ends
between 1 hour and 7 days minus 1 hour from now: one of the 7/3/1-day windows), 500 trials have
ended (an expiry each), and the rest end weeks from now; earlier reminders are deleted and
the broker's queue emptied. The time is the whole call: the set-based statements, the commit,
and queueing every email task on the bench's Redis (on_commit). The time spent queueing is
measured apart by wrapping billing.trials._queue_emails in this process only.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import Context, Row, Stats, job_main, run_job, say

DB = "awan_bench"


# --- Django side -----------------------------------------------------------------------------


def _ensure_tenants(count: int) -> int:
    from datetime import timedelta

    from django.utils import timezone

    from billing.models import Subscription
    from tenants.models import Tenant

    have = Subscription.objects.count()
    missing = count - have
    if missing <= 0:
        return 0
    now = timezone.now()
    for start in range(0, missing, 2000):
        batch = range(start, min(start + 2000, missing))
        tenants = Tenant.objects.bulk_create(
            [
                Tenant(
                    name=f"Sweep {i:05d}",
                    subdomain=f"sw{i:05d}",
                    schema_name=f"t_sw{i:05d}",
                    status=Tenant.Status.ACTIVE,
                )
                for i in batch
            ]
        )
        Subscription.objects.bulk_create(
            [
                Subscription(tenant=t, status="trialing", trial_end=now + timedelta(days=30))
                for t in tenants
            ]
        )
    return missing


def _reset(due: int, expired: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM billing_trialreminder")
        cursor.execute(
            """
            WITH ordered AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n
                               FROM billing_subscription)
            UPDATE billing_subscription s
               SET status = 'trialing', trial_ended_notified_at = NULL,
                   trial_end = CASE
                     WHEN o.n < %(due)s THEN now() + interval '1 hour'
                          + (interval '7 days' - interval '2 hours') * (o.n::float / %(due)s)
                     WHEN o.n < %(due)s + %(expired)s THEN now() - interval '1 day'
                     ELSE now() + interval '20 days' END
              FROM ordered o WHERE o.id = s.id
            """,
            {"due": due, "expired": expired},
        )


def _queue_length() -> int:
    from config import kv

    return int(kv.client().llen("celery"))


def sweep(*, tenants: int, due: int, expired: int, reps: int) -> dict[str, Any]:
    import billing.trials
    from billing.trials import trial_sweep
    from config import kv

    added = _ensure_tenants(tenants)
    queueing: list[float] = []
    real_queue = billing.trials._queue_emails

    def timed_queue(result: Any) -> None:
        started = time.perf_counter()
        try:
            real_queue(result)
        finally:
            queueing.append(time.perf_counter() - started)

    billing.trials._queue_emails = timed_queue  # type: ignore[assignment]
    runs = []
    for _ in range(reps):
        _reset(due, expired)
        kv.client().flushdb()
        queueing.clear()
        started = time.perf_counter()
        result = trial_sweep()
        seconds = time.perf_counter() - started
        runs.append(
            {
                "seconds": seconds,
                "enqueue_seconds": sum(queueing),
                "reminders": len(result.reminders),
                "expired": len(result.expired),
                "queued": _queue_length(),
            }
        )
    kv.client().flushdb()
    return {"runs": runs, "tenant_rows_added": added}


# --- runner side -----------------------------------------------------------------------------


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    say(f"P6: trial sweep over {sizes.p6_tenants} tenants")
    result = run_job(
        ctx,
        "p6_sweeps",
        "sweep",
        db=DB,
        args={
            "tenants": sizes.p6_tenants,
            "due": sizes.p6_reminders_due,
            "expired": sizes.p6_expired,
            "reps": sizes.p6_reps,
        },
    )
    runs = result["runs"]
    last = runs[-1]
    total = Stats.of([r["seconds"] for r in runs])
    enqueue = Stats.of([r["enqueue_seconds"] for r in runs])
    sql = Stats.of([r["seconds"] - r["enqueue_seconds"] for r in runs])
    common = {
        "tenants": sizes.p6_tenants,
        "reminders_due": sizes.p6_reminders_due,
        "expired": sizes.p6_expired,
    }
    counts = {k: last[k] for k in ("reminders", "expired", "queued")}
    ok = last["reminders"] == sizes.p6_reminders_due and last["expired"] == sizes.p6_expired
    return [
        Row(
            "P6.1",
            f"trial sweep, {sizes.p6_tenants} tenants, catch-up "
            f"({sizes.p6_reminders_due} reminders + {sizes.p6_expired} expiries queued)",
            "s",
            total,
            target="≤ 2 s",
            limit=lambda r: 2,
            check=lambda r: ok,
            sizes=common,
            extra={**counts, "tenant_rows_added": result["tenant_rows_added"]},
            notes="" if ok else f"expected {sizes.p6_reminders_due} reminders, got {counts}",
        ),
        Row("P6.c1", "trial sweep: statements and commit (context)", "s", sql, sizes=common),
        Row(
            "P6.c2",
            "trial sweep: queueing the email tasks (context)",
            "s",
            enqueue,
            sizes=common,
        ),
    ]


if __name__ == "__main__":
    job_main({"sweep": sweep})
