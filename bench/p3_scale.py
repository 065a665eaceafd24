"""P3 scale: the same routed throughput and signup p50 with a large fleet and a small one, and
the memory of a long-lived web connection after traffic to every tenant.

The small fleet lives in a database of its own (awan_bench_small, built the same way), so both
fleets exist at once and every comparison is interleaved in time: the machine's load drifts,
and a baseline measured minutes earlier would carry that drift into the ratio.

- Throughput: two Awan gunicorns (same worker count), one per fleet; wrk sends each request
  to the next tenant's host in turn (every tenant of that fleet); rounds alternate.
- Signup p50: tenant_signup (pool filled beforehand, hash excluded), batches alternating
  between the two fleets.
- Memory: one gunicorn worker serves one request to each tenant of the large fleet over its
  persistent connection; then the PostgreSQL backend of that connection (found by its
  application_name in pg_stat_activity) is read from /proc: Private_Clean + Private_Dirty of
  its non-shared mappings (smaps). smaps_rollup's Private_* is reported too, but it also counts
  pages of the shared buffers that only this backend has touched so far (a fresh server's
  buffers are mostly that), which are the server's fixed pool, not the connection's memory.
  Awan (which recycles a connection after DB_RECYCLE_AFTER_SCHEMAS distinct schemas) and
  django-tenants' defaults (which never does).
"""

from __future__ import annotations

from typing import Any

from bench import fleet
from bench.common import (
    AWAN,
    TENANTS,
    BenchError,
    Context,
    Gunicorn,
    Row,
    Stats,
    database_recreate,
    failed_row,
    http_get,
    memory_kib,
    peer_of,
    pg_query,
    run_job,
    run_manage,
    say,
    wrk,
)
from bench.p1_provisioning import signup_batches

DB = "awan_bench"
SMALL_DB = "awan_bench_small"
PATH = "/bench/projects/"
MIB = 1024


def prepare_small(ctx: Context) -> None:
    database_recreate(ctx.server_url, SMALL_DB)
    run_manage(ctx, ["release", "--no-pool"], db=SMALL_DB, log_name="p3-small-release")
    run_job(
        ctx,
        "fleet",
        "grow",
        db=SMALL_DB,
        args={"start": 0, "stop": ctx.sizes.p3_small, "jobs": ctx.sizes.build_jobs},
    )


def routed_throughput(ctx: Context, fleets: dict[str, tuple[str, int]]) -> dict[str, list[float]]:
    """Requests/s of Awan on each fleet (name: (database, tenants)), rounds interleaved."""
    sizes = ctx.sizes
    servers = {
        name: Gunicorn(ctx, name=f"p3-{name}", settings=AWAN, db=db, workers=sizes.web_workers)
        for name, (db, _) in fleets.items()
    }
    hosts = {name: fleet.hosts(tenants) for name, (_, tenants) in fleets.items()}
    results: dict[str, list[float]] = {name: [] for name in fleets}
    try:
        for server in servers.values():
            server.start()
        for name, server in servers.items():
            server.wait_for(PATH, hosts[name][0])
            wrk(
                server.port,
                PATH,
                hosts=hosts[name],
                seconds=1,
                connections=sizes.p2_connections,
                workdir=ctx.log_dir,
            )
        for _ in range(sizes.p2_rounds):
            for name, server in servers.items():
                run = wrk(
                    server.port,
                    PATH,
                    hosts=hosts[name],
                    seconds=sizes.p2_seconds,
                    connections=sizes.p2_connections,
                    workdir=ctx.log_dir,
                )
                run.check(f"P3 {name}")
                results[name].append(run.requests_per_second)
    finally:
        for server in servers.values():
            server.stop()
    return results


def backend_memory(ctx: Context, *, stack: str, settings: str, tenants: int) -> dict[str, Any]:
    """Private memory of the one web connection's backend after a request to each tenant."""
    app_name = f"bench-p3-{stack}"
    server = Gunicorn(
        ctx,
        name=f"p3-memory-{stack}",
        settings=settings,
        db=DB,
        workers=1,
        env={"BENCH_APP_NAME": app_name},
    )
    sql = "SELECT pid FROM pg_stat_activity WHERE application_name = %s AND datname = %s"
    with server:
        server.wait_for(PATH, fleet.host(0))
        pids = pg_query(ctx.db_url(DB), sql, [app_name, DB])
        first = memory_kib(pids[0][0]) if pids else None
        seen_pids = {row[0] for row in pids}
        for index in range(tenants):
            status, _ = http_get(server.port, PATH, fleet.host(index))
            if status != 200:
                raise BenchError(f"P3 memory: {fleet.host(index)} answered {status}")
            if index % 50 == 49:
                seen_pids |= {row[0] for row in pg_query(ctx.db_url(DB), sql, [app_name, DB])}
        pids = pg_query(ctx.db_url(DB), sql, [app_name, DB])
        if len(pids) != 1:
            raise BenchError(f"P3 memory: expected one backend for {app_name}, found {pids}")
        seen_pids.add(pids[0][0])
        after = memory_kib(pids[0][0])
    return {"after": after, "first_request": first, "backends_seen": len(seen_pids)}


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    small, large = sizes.p3_small, sizes.p3_large
    fleet.ensure_fleet(ctx, large, db=DB)
    say(f"P3: a {small}-tenant fleet beside the {large}-tenant one")
    prepare_small(ctx)
    say(f"P3: throughput and signup, {large} tenants against {small}, interleaved")
    rps = routed_throughput(ctx, {"large": (DB, large), "small": (SMALL_DB, small)})
    signups = signup_batches(
        ctx, {"large": (DB, {}), "small": (SMALL_DB, {})}, reps=sizes.p3_signup_reps
    )
    signup = {name: result["ms"] for name, result in signups.items()}
    baseline = f"Awan at {small} tenants"
    rows = [
        Row(
            "P3.1",
            f"routed throughput, {large} tenants vs {small}",
            "req/s",
            Stats.of(rps["large"]),
            Stats.of(rps["small"]),
            baseline,
            ratio_of="awan/peer",
            target="within 10% (≥ 0.9×)",
            limit=lambda r: 0.9 * peer_of(r),
            better="higher",
            sizes={
                "tenants": large,
                "baseline_tenants": small,
                "gunicorn_workers": sizes.web_workers,
            },
        ),
        Row(
            "P3.2",
            f"signup p50, {large} tenants vs {small}",
            "ms",
            Stats.of(signup["large"]),
            Stats.of(signup["small"]),
            baseline,
            ratio_of="awan/peer",
            target="within 20% (≤ 1.2×)",
            limit=lambda r: 1.2 * peer_of(r),
            sizes={"tenants": large, "baseline_tenants": small},
        ),
    ]
    say(f"P3: backend memory after one request to each of {large} tenants")
    try:
        awan = backend_memory(ctx, stack="awan", settings=AWAN, tenants=large)
        peer = backend_memory(ctx, stack="django-tenants", settings=TENANTS, tenants=large)
    except (OSError, IndexError) as exc:
        rows.append(
            failed_row(
                "P3.3",
                "web connection's backend memory",
                "MiB",
                "≤ 20 MiB",
                f"PostgreSQL's processes are not readable here ({exc})",
            )
        )
        return rows
    rows.append(
        Row(
            "P3.3",
            f"web connection's PostgreSQL backend memory after {large} tenants",
            "MiB",
            Stats.single(awan["after"]["private_unshared"] / MIB),
            Stats.single(peer["after"]["private_unshared"] / MIB),
            "django-tenants defaults",
            target="≤ 20 MiB",
            limit=lambda r: 20,
            sizes={"tenants": large},
            notes=f"the backend's own memory: Private_Clean+Private_Dirty of its non-shared "
            f"mappings (/proc/<pid>/smaps). smaps_rollup's Private_* (Awan "
            f"{awan['after']['uss'] / MIB:.1f} MiB, django-tenants {peer['after']['uss'] / MIB:.1f}"
            f" MiB) also counts shared-buffer pages no other process has touched yet, which "
            f"belong to the server's fixed shared_buffers. Awan's web process used "
            f"{awan['backends_seen']} connection(s) for the {large} tenants",
            extra={"awan": awan, "django-tenants": peer},
        )
    )
    return rows
