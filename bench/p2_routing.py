"""P2 routing: the same DB-backed view (bench.views.projects: up to 20 projects as JSON) served
by three stacks, each a real gunicorn with the same worker count and persistent connections:

- Awan: its full middleware, routed by Host `fl00000.localhost` (bench.settings);
- plain Django: no tenancy, stock PostgreSQL backend, startproject's middleware, its own
  database on the same server (bench.settings_plain);
- django-tenants' defaults: TenantMainMiddleware + its backend (bench.settings_tenants).

Throughput: wrk on loopback, a few bounded runs per stack, interleaved, median. Statements per
request: in-process with the test Client, counted two ways after a warm-up: what Django's
CaptureQueriesContext sees, and what reaches the driver (every psycopg execute is a round trip;
a `SET search_path` Awan's backend puts in front of a statement is a second SQL statement in
the same round trip).
"""

from __future__ import annotations

from typing import Any

from bench import fleet
from bench.common import (
    AWAN,
    PLAIN,
    TENANTS,
    Context,
    Gunicorn,
    Row,
    Stats,
    database_recreate,
    job_main,
    peer_of,
    run_job,
    run_manage,
    say,
    wrk,
)

DB = "awan_bench"
PLAIN_DB = "awan_bench_plain"
PATH = "/bench/projects/"
STACKS = {"awan": (AWAN, DB), "plain": (PLAIN, PLAIN_DB), "django-tenants": (TENANTS, DB)}


# --- Django side -----------------------------------------------------------------------------


def plain_seed(*, projects: int) -> int:
    from core_app.models import Project

    Project.objects.bulk_create([Project(name=f"Project {n}") for n in range(1, projects + 1)])
    return Project.objects.count()


def _sql_statements(sql: str) -> int:
    text = sql.lstrip()
    if text.upper().startswith(("SET SEARCH_PATH", "SET LOCAL SEARCH_PATH")):
        return len([part for part in text.split(";") if part.strip()])
    return 1


def count(*, host: str, requests: int) -> dict[str, Any]:
    """Statements per request of the bench view on `host`, in-process."""
    import psycopg
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    sent: list[str] = []
    real_execute = psycopg.Cursor.execute
    real_executemany = psycopg.Cursor.executemany

    def execute(self: Any, query: Any, params: Any = None, **kwargs: Any) -> Any:
        sent.append(query if isinstance(query, str) else query.as_string(self))
        return real_execute(self, query, params, **kwargs)

    def executemany(self: Any, query: Any, params_seq: Any, **kwargs: Any) -> Any:
        sent.append(query if isinstance(query, str) else query.as_string(self))
        return real_executemany(self, query, params_seq, **kwargs)

    psycopg.Cursor.execute = execute  # type: ignore[method-assign]
    psycopg.Cursor.executemany = executemany  # type: ignore[method-assign]
    client = Client(HTTP_HOST=host)
    for _ in range(3):  # connect, warm caches
        if client.get(PATH).status_code != 200:
            raise RuntimeError(f"{host}{PATH} did not answer 200")
    sent.clear()
    django_queries = 0
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            client.get(PATH)
        django_queries += len(captured.captured_queries)
    return {
        "django_queries": django_queries / requests,
        "round_trips": len(sent) / requests,
        "sql_statements": sum(_sql_statements(s) for s in sent) / requests,
        "sample": sent[: max(1, len(sent) // requests)],
    }


# --- runner side -----------------------------------------------------------------------------


def prepare_plain(ctx: Context) -> None:
    database_recreate(ctx.server_url, PLAIN_DB)
    run_manage(ctx, ["migrate", "--noinput"], settings=PLAIN, db=PLAIN_DB, log_name="plain-migrate")
    run_job(
        ctx,
        "p2_routing",
        "plain_seed",
        settings=PLAIN,
        db=PLAIN_DB,
        args={"projects": fleet.PROJECTS_PER_TENANT},
    )


def throughput(
    ctx: Context, stacks: dict[str, tuple[str, str]], host: str, *, rounds: int, seconds: int
) -> dict[str, list[float]]:
    """Requests/s of each stack: gunicorns started side by side, wrk runs interleaved."""
    sizes = ctx.sizes
    servers = {
        name: Gunicorn(ctx, name=f"p2-{name}", settings=settings, db=db, workers=sizes.web_workers)
        for name, (settings, db) in stacks.items()
    }
    results: dict[str, list[float]] = {name: [] for name in stacks}
    try:
        for server in servers.values():
            server.start()
        for server in servers.values():
            server.wait_for(PATH, host)
            wrk(
                server.port,
                PATH,
                hosts=[host],
                seconds=1,
                connections=sizes.p2_connections,
                workdir=ctx.log_dir,
            )  # warm-up
        for _ in range(rounds):
            for name, server in servers.items():
                run = wrk(
                    server.port,
                    PATH,
                    hosts=[host],
                    seconds=seconds,
                    connections=sizes.p2_connections,
                    workdir=ctx.log_dir,
                )
                run.check(f"P2 {name}")
                results[name].append(run.requests_per_second)
    finally:
        for server in servers.values():
            server.stop()
    return results


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    fleet.ensure_fleet(ctx, 1, db=DB)
    host = fleet.host(0)
    say("P2: plain Django database")
    prepare_plain(ctx)
    say("P2: statements per request (in-process)")
    counts = {
        name: run_job(
            ctx,
            "p2_routing",
            "count",
            settings=settings,
            db=db,
            args={"host": host, "requests": 20},
        )
        for name, (settings, db) in STACKS.items()
    }
    say(f"P2: throughput, {sizes.p2_rounds} × {sizes.p2_seconds} s per stack")
    rps = throughput(ctx, STACKS, host, rounds=sizes.p2_rounds, seconds=sizes.p2_seconds)
    common_sizes = {
        "gunicorn_workers": sizes.web_workers,
        "wrk_connections": sizes.p2_connections,
        "seconds_per_run": sizes.p2_seconds,
    }
    awan_c, plain_c, dt_c = counts["awan"], counts["plain"], counts["django-tenants"]
    return [
        Row(
            "P2.1",
            "tenant-routed DB view throughput vs plain Django",
            "req/s",
            Stats.of(rps["awan"]),
            Stats.of(rps["plain"]),
            "plain Django (no tenancy)",
            ratio_of="awan/peer",
            target="≥ 0.9× plain Django",
            limit=lambda r: 0.9 * peer_of(r),
            better="higher",
            sizes=common_sizes,
        ),
        Row(
            "P2.2",
            "round trips per request vs plain Django",
            "stmt/req",
            Stats.single(awan_c["round_trips"]),
            Stats.single(plain_c["round_trips"]),
            "plain Django (no tenancy)",
            ratio_of="awan-peer",
            target="≤ 1 extra statement per request",
            limit=lambda r: peer_of(r) + 1,
            notes=f"a statement counts when it is its own round trip. SQL statements per "
            f"request, search_path prefixes in the same round trip included: Awan "
            f"{awan_c['sql_statements']:g}, plain {plain_c['sql_statements']:g}; "
            f"django-tenants' defaults: {dt_c['round_trips']:g} round trips",
            extra={"awan": awan_c, "plain": plain_c, "django-tenants": dt_c},
        ),
        Row(
            "P2.c1",
            "routed view throughput vs django-tenants defaults (context)",
            "req/s",
            Stats.of(rps["awan"]),
            Stats.of(rps["django-tenants"]),
            "django-tenants defaults",
            ratio_of="awan/peer",
            sizes=common_sizes,
        ),
    ]


if __name__ == "__main__":
    job_main({"plain_seed": plain_seed, "count": count})
