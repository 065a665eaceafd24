"""`make bench`: run every benchmark family, print one table, write the JSON and the docs.

    python -m bench [--full] [--only P1,P3] [--no-docs] [--keep-databases]

Services: DATABASE_URL / REDIS_URL when set, else the embedded PostgreSQL and Redis
(config.devenv, as `make run` starts them). The bench works in databases of its own
(awan_bench, awan_bench_plain, awan_bench_syn), created and dropped by each run, and in Redis
database AWAN_BENCH_REDIS_DB (14), emptied before and after.

Order matters because the fleet only grows: P1 (on an empty fleet), P2 and P5 (one tenant),
P4 at its size, P3 with the large fleet (and a small one in awan_bench_small), the large
additive migration, P7, and P6 last (it may add schema-less tenant rows).

Exit status: 0 when every measurement was taken, whatever the targets say (benchmarks are
not tests); 1 when a family could not be measured.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bench import (
    p1_provisioning,
    p2_routing,
    p3_scale,
    p4_migrations,
    p5_cold_start,
    p6_sweeps,
    p7_webhooks,
    p8_console,
    report,
)
from bench.common import (
    AWAN,
    ROOT,
    BenchError,
    Context,
    Row,
    Sizes,
    database_drop,
    database_recreate,
    failed_row,
    pg_query,
    run_manage,
    say,
)

DATABASES = (
    "awan_bench",
    "awan_bench_plain",
    "awan_bench_syn",
    "awan_bench_small",
    "awan_bench_console",
)
REDIS_DB = int(os.environ.get("AWAN_BENCH_REDIS_DB", "14"))

# What each family reports when it could not be measured: (id, name, unit, target).
PLACEHOLDERS: dict[str, list[tuple[str, str, str, str]]] = {
    "P1": [
        ("P1.1", "signup → ready (today's migrations)", "ms", "p50 ≤ 20 ms and ≥ 15× faster"),
        ("P1.2", "signup → ready (+200 migrations)", "ms", "p50 ≤ 20 ms and ≥ 100× faster"),
        ("P1.3", "signup p50 flat", "ms", "≤ 1.2× today's p50"),
        ("P1.4", "whole signup POST", "ms", "p50 ≤ hash time + 100 ms"),
    ],
    "P2": [
        ("P2.1", "routed view throughput vs plain Django", "req/s", "≥ 0.9× plain Django"),
        ("P2.2", "round trips per request vs plain", "stmt/req", "≤ 1 extra statement"),
    ],
    "P3": [
        ("P3.1", "routed throughput, large vs small fleet", "req/s", "within 10%"),
        ("P3.2", "signup p50, large vs small fleet", "ms", "within 20%"),
        ("P3.3", "web connection's backend memory", "MiB", "≤ 20 MiB"),
    ],
    "P4a": [
        ("P4.1", "no-op fleet migration", "s", "≤ 5 s and ≥ 20× faster"),
        ("P4.2", "additive migration", "s", "≥ 5× faster"),
    ],
    "P4b": [("P4.3", "additive migration, 10,000 tenants", "s", "< 15 min (900 s)")],
    "P5": [
        ("P5.1", "`web` start → first 200", "s", "≤ 1 s and ≤ 1.2× plain Django"),
        ("P5.2", "web worker memory", "MiB", "≤ 1.1× plain Django"),
    ],
    "P6": [("P6.1", "trial sweep, 10,000 tenants", "s", "≤ 2 s")],
    "P7": [
        ("P7.1", "webhook intake p99 at 200 events/s", "ms", "p99 ≤ 50 ms"),
        ("P7.2", "worker drain rate", "events/s", "≥ 300 events/s"),
    ],
    "P8": [
        ("P8.1", "console dashboard page, 10,000 tenants", "ms", "≤ 1000 ms"),
        ("P8.2", "dashboard statements, 10,000 vs 100 tenants", "stmt", "the same count"),
    ],
}


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes (slow)")
    parser.add_argument("--only", default="", help="families to run, e.g. P1,P2 (default: all)")
    parser.add_argument("--out", default=str(report.RESULTS), help="where to write the JSON")
    parser.add_argument("--no-docs", action="store_true", help="don't redraw docs/performance.*")
    parser.add_argument("--keep-databases", action="store_true", help="leave awan_bench* behind")
    parser.add_argument(
        "--sizes", default="", help="JSON overriding sizes, e.g. '{\"p3_large\": 300}'"
    )
    return parser.parse_args(argv)


def _git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def _flush_redis(ctx: Context) -> None:
    import redis

    from config.settings.base import redis_url_for

    redis.Redis.from_url(redis_url_for(ctx.redis_url, db=ctx.redis_db)).flushdb()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    sizes = Sizes.full() if args.full else Sizes.quick()
    if args.sizes:
        import dataclasses

        sizes = dataclasses.replace(sizes, **json.loads(args.sizes))
    only = {f.strip().upper() for f in args.only.split(",") if f.strip()}

    def wanted(family: str) -> bool:
        return not only or family in only

    if shutil.which("wrk") is None:
        say("wrk is needed to load the web servers: apt-get install wrk")
        return 1
    from config import devenv

    began = time.monotonic()
    env, started = devenv.services_env()
    ctx = Context(
        server_url=env["DATABASE_URL"], redis_url=env["REDIS_URL"], redis_db=REDIS_DB, sizes=sizes
    )
    say(f"{sizes.mode} run; logs in {ctx.log_dir.relative_to(ROOT)}")
    rows: list[Row] = []
    failures: list[str] = []
    postgres = "?"

    def family(key: str, fn: Callable[[], list[Row] | None]) -> None:
        if not wanted(key[:2]):
            return
        step = time.monotonic()
        try:
            produced = fn() or []
            rows.extend(produced)
            say(f"{key}: done in {time.monotonic() - step:.0f} s")
        except Exception as exc:  # one family's failure must not hide the others' numbers
            failures.append(key)
            say(f"{key} FAILED: {exc.__class__.__name__}: {exc}")
            traceback.print_exc()
            for row_id, name, unit, target in PLACEHOLDERS[key]:
                if not any(r.id == row_id for r in rows):
                    rows.append(failed_row(row_id, name, unit, target, str(exc)[:300]))

    try:
        _flush_redis(ctx)
        for name in DATABASES:
            database_drop(ctx.server_url, name)
        database_recreate(ctx.server_url, "awan_bench")
        postgres = pg_query(ctx.db_url("awan_bench"), "SHOW server_version")[0][0]
        say("release: public schema, bootstrap")
        run_manage(
            ctx, ["release", "--no-pool"], settings=AWAN, db="awan_bench", log_name="release"
        )
        plain_ready = False

        def p2() -> list[Row]:
            nonlocal plain_ready
            produced = p2_routing.run(ctx)
            plain_ready = True
            return produced

        steps: list[tuple[str, Callable[[], list[Row] | None]]] = [
            ("P1", lambda: p1_provisioning.run(ctx)),
            ("P2", p2),
            ("P5", lambda: p5_cold_start.run(ctx, plain_ready=plain_ready)),
            ("P4a", lambda: p4_migrations.run(ctx)),
            ("P3", lambda: p3_scale.run(ctx)),
            ("P4b", lambda: p4_migrations.run_big(ctx)),
            ("P7", lambda: p7_webhooks.run(ctx)),
            ("P6", lambda: p6_sweeps.run(ctx)),
            ("P8", lambda: p8_console.run(ctx)),
        ]
        assert {key for key, _ in steps} == set(PLACEHOLDERS), "PLACEHOLDERS out of date"
        for key, step in steps:
            family(key, step)
    except BenchError as exc:  # the setup itself failed: nothing can be measured
        say(f"setup FAILED: {exc}")
        return 1
    finally:
        if not args.keep_databases:
            for name in DATABASES:
                database_drop(ctx.server_url, name)
        _flush_redis(ctx)
        devenv.stop_started(started)

    result = build_result(rows, sizes, duration=time.monotonic() - began, postgres=postgres)
    print()
    print(report.table_text(result))
    print()
    out = Path(args.out)
    if only and out == report.RESULTS:  # a partial run never replaces the full table
        out = ctx.log_dir / "partial.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    say(f"wrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if not args.no_docs and not only:
        report.write_docs(result)
        say("wrote docs/performance.md and docs/performance.svg")
    met = [r["id"] for r in result["metrics"] if r["met"]]
    missed = [r["id"] for r in result["metrics"] if not r["met"]]
    say(f"targets met: {', '.join(met) or 'none'}; not met: {', '.join(missed) or 'none'}")
    say(f"{sizes.mode} run took {result['duration_seconds'] / 60:.1f} min")
    if failures:
        say(f"could not measure: {', '.join(failures)} (see above and {ctx.log_dir})")
        return 1
    return 0


def build_result(rows: list[Row], sizes: Sizes, *, duration: float, postgres: str) -> dict:
    order = {"P1": 1, "P2": 2, "P3": 3, "P4": 4, "P5": 5, "P6": 6, "P7": 7, "P8": 8}
    rows = sorted(rows, key=lambda r: (order.get(r.id[:2], 9), r.id))
    as_json = [r.as_json() for r in rows]
    import dataclasses

    return {
        "mode": sizes.mode,
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round(duration, 1),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "postgres": postgres,
            "commit": _git_commit(),
        },
        "sizes": dataclasses.asdict(sizes),
        "metrics": [r for r in as_json if r["target"] is not None],
        "context": [r for r in as_json if r["target"] is None],
    }


if __name__ == "__main__":
    sys.exit(main())
