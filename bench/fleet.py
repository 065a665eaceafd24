"""The bench's tenants, built in bulk: never 10,000 signups through the web.

Each fleet tenant `fl<NNNNN>` (schema `t_fl<NNNNN>`, host `fl<NNNNN>.localhost`) gets its schema
from Awan's own fleet API (tenants.provisioning.schema_build, one shared PlanCache, a few threads
each with its own connection), 20 projects, and then its Tenant, Domain and Subscription rows in
bulk. Schema states are recorded by schema_build, so the fleet runner sees every schema current.
"""

from __future__ import annotations

import queue
import threading
import time
from typing import Any

from bench.common import AWAN, Context, job_main, run_job, say

PREFIX = "fl"
PROJECTS_PER_TENANT = 20


def subdomain(index: int) -> str:
    return f"{PREFIX}{index:05d}"


def host(index: int) -> str:
    return f"{subdomain(index)}.localhost"


def hosts(count: int) -> list[str]:
    return [host(i) for i in range(count)]


# --- runner side -----------------------------------------------------------------------------


def ensure_fleet(ctx: Context, count: int, *, db: str) -> None:
    """Grow the fleet to `count` tenants (it never shrinks)."""
    if ctx.fleet_size >= count:
        return
    say(f"fleet: building tenants {ctx.fleet_size}..{count - 1} ({ctx.sizes.build_jobs} threads)")
    result = run_job(
        ctx,
        "fleet",
        "grow",
        db=db,
        args={"start": ctx.fleet_size, "stop": count, "jobs": ctx.sizes.build_jobs},
        timeout=4 * 3600,
    )
    say(f"fleet: {result['built']} schemas in {result['seconds']:.1f} s")
    ctx.fleet_size = count


def drop_tenants(ctx: Context, *, db: str, prefix: str, settings: str = AWAN) -> int:
    return int(run_job(ctx, "fleet", "drop", settings=settings, db=db, args={"prefix": prefix}))


# --- Django side -----------------------------------------------------------------------------


def _build_schemas(indexes: list[int], jobs: int) -> None:
    from django.db import connection, connections

    from tenants.fleet.plans import PlanCache
    from tenants.provisioning import schema_build
    from tenants.validators import schema_name_for

    plans = PlanCache()

    def build_one(index: int) -> None:
        schema = schema_name_for(subdomain(index))
        schema_build(schema_name=schema, plans=plans)
        with connection.cursor() as cursor:
            cursor.execute(
                f'INSERT INTO "{schema}".core_app_project '
                "(name, description, created_at, updated_at) "
                "SELECT 'Project ' || n, '', now(), now() "
                f"FROM generate_series(1, {PROJECTS_PER_TENANT}) AS n"
            )

    if not indexes:
        return
    build_one(indexes[0])  # builds the plan, which the threads then share
    pending: queue.Queue[int] = queue.Queue()
    for index in indexes[1:]:
        pending.put(index)
    errors: list[str] = []

    def work() -> None:
        try:
            while True:
                try:
                    build_one(pending.get_nowait())
                except queue.Empty:
                    return
        except Exception as exc:  # reported after the join
            errors.append(f"{exc.__class__.__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(max(1, jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(f"{len(errors)} schema build(s) failed, first: {errors[0]}")


def _insert_rows(indexes: list[int]) -> None:
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from billing.models import Subscription
    from tenants.models import Domain, Tenant
    from tenants.validators import schema_name_for

    now = timezone.now()
    for start in range(0, len(indexes), 1000):
        chunk = indexes[start : start + 1000]
        with transaction.atomic():
            tenants = Tenant.objects.bulk_create(
                [
                    Tenant(
                        name=f"Fleet {i:05d}",
                        subdomain=subdomain(i),
                        schema_name=schema_name_for(subdomain(i)),
                        status=Tenant.Status.ACTIVE,
                    )
                    for i in chunk
                ]
            )
            Domain.objects.bulk_create(
                [
                    Domain(domain=host(i), tenant=t, is_primary=True)
                    for i, t in zip(chunk, tenants, strict=True)
                ]
            )
            Subscription.objects.bulk_create(
                [
                    Subscription(
                        tenant=t,
                        status=Subscription.Status.TRIALING,
                        trial_end=now + timedelta(days=30),
                    )
                    for t in tenants
                ]
            )


def grow(*, start: int, stop: int, jobs: int) -> dict[str, Any]:
    began = time.perf_counter()
    indexes = list(range(start, stop))
    _build_schemas(indexes, jobs)
    _insert_rows(indexes)
    return {"built": len(indexes), "seconds": time.perf_counter() - began}


def drop(*, prefix: str) -> int:
    """Drop every tenant whose subdomain starts with `prefix`: schema and rows."""
    from django.db import connection

    from tenants.models import Tenant
    from tenants.provisioning import schema_drop

    connection.set_schema_to_public()  # type: ignore[attr-defined]
    doomed = list(Tenant.objects.filter(subdomain__startswith=prefix))
    for tenant in doomed:
        schema_drop(schema_name=tenant.schema_name)
        tenant.delete()
    return len(doomed)


if __name__ == "__main__":
    job_main({"grow": grow, "drop": drop})
