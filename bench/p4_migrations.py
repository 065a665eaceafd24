"""P4 fleet migrations: whole commands, timed as subprocesses, over the bench's fleet.

- No-op (every schema current): Awan's `manage.py fleet_migrate --jobs J` against
  `manage.py migrate_schemas --tenant` with django-tenants' standard executor, its
  multiprocessing executor (TENANT_MULTIPROCESSING_MAX_PROCESSES = J) and
  django-tenants-smart-executor (GET_EXECUTOR_FUNCTION), both executors.
- Additive: one AddField (a nullable column on core_app's Project) in a synthetic migration
  added for the run: a copy of core_app's migrations plus `0999_bench_<tag>`, pointed at with
  MIGRATION_MODULES through config.settings.test's AWAN_TEST_MIGRATION_MODULES hook. Each
  command gets a migration of its own (a different column), so each starts from the same
  state without undoing the other's; whatever is recorded beyond the code's own migrations
  is ignored by both tools. Awan's fleet_migrate against the multiprocessing executor.
- The same additive run over the large fleet, Awan alone; below 10,000 tenants the time is
  projected to 10,000: the no-op run's time (process start, one query) plus the rest scaled
  by 10,000 / tenants.

Afterwards `fleet_migrate` with the code's own migrations records every schema as current
again (not timed).
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import fleet
from bench.common import (
    ROOT,
    TENANTS,
    BenchError,
    Context,
    Row,
    Stats,
    peer_of,
    pg_query,
    run_manage,
    say,
)

DB = "awan_bench"
TARGET_TENANTS = 10_000

ADDITIVE = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core_app", "{previous}")]
    operations = [
        migrations.AddField(
            model_name="project", name="bench_{tag}", field=models.TextField(null=True)
        ),
    ]
"""


@contextmanager
def additive_migration(tag: str) -> Iterator[dict[str, str]]:
    """The environment that adds `0999_bench_<tag>` to core_app's migrations."""
    base = Path(tempfile.mkdtemp(prefix="awan-bench-migrations-"))
    module = f"bench_additive_{tag}"
    package = base / module
    shutil.copytree(
        ROOT / "core_app" / "migrations", package, ignore=shutil.ignore_patterns("__pycache__")
    )
    previous = sorted(p.stem for p in package.glob("0*.py"))[-1]
    (package / f"0999_bench_{tag}.py").write_text(ADDITIVE.format(previous=previous, tag=tag))
    try:
        yield {
            "AWAN_TEST_MIGRATION_MODULES": json.dumps({"core_app": module}),
            "AWAN_TEST_MIGRATION_PATH": str(base),
        }
    finally:
        shutil.rmtree(base, ignore_errors=True)


def schemas_with_column(ctx: Context, column: str) -> int:
    rows = pg_query(
        ctx.db_url(DB),
        "SELECT count(*) FROM information_schema.columns "
        "WHERE table_name = 'core_app_project' AND column_name = %s",
        [column],
    )
    return int(rows[0][0])


def fleet_tenants(ctx: Context) -> int:
    rows = pg_query(
        ctx.db_url(DB), "SELECT count(*) FROM tenants_tenant WHERE schema_name <> 'public'"
    )
    return int(rows[0][0])


def _awan(ctx: Context, *, log: str, env: dict[str, str] | None = None) -> float:
    jobs = str(ctx.sizes.fleet_jobs)
    return run_manage(ctx, ["fleet_migrate", "--jobs", jobs], db=DB, env=env, log_name=log)


PEERS: dict[str, tuple[list[str], dict[str, str]]] = {
    "standard": (["migrate_schemas", "--tenant", "--noinput"], {}),
    "multiprocessing": (
        ["migrate_schemas", "--tenant", "--noinput", "--executor", "multiprocessing"],
        {},
    ),
    "smart": (["migrate_schemas", "--tenant", "--noinput"], {"BENCH_SMART_EXECUTOR": "1"}),
    "smart-multiprocessing": (
        ["migrate_schemas", "--tenant", "--noinput", "--executor", "multiprocessing"],
        {"BENCH_SMART_EXECUTOR": "1"},
    ),
}


def _peer(ctx: Context, name: str, *, log: str, env: dict[str, str] | None = None) -> float:
    args, peer_env = PEERS[name]
    return run_manage(
        ctx,
        args,
        settings=TENANTS,
        db=DB,
        env={**peer_env, "BENCH_MP_PROCESSES": str(ctx.sizes.fleet_jobs), **(env or {})},
        log_name=log,
    )


def additive(ctx: Context, tag: str, command: str) -> tuple[float, int]:
    """Seconds to apply `0999_bench_<tag>` with `command` ("awan" or a peer), and how many
    schemas have the column afterwards."""
    with additive_migration(tag) as env:
        if command == "awan":
            seconds = _awan(ctx, log=f"p4-additive-{tag}-awan", env=env)
        else:
            seconds = _peer(ctx, command, log=f"p4-additive-{tag}-{command}", env=env)
    return seconds, schemas_with_column(ctx, f"bench_{tag}")


def repair(ctx: Context) -> None:
    """Record every schema as current for the code's own migrations (not timed)."""
    _awan(ctx, log="p4-repair")


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    fleet.ensure_fleet(ctx, sizes.p4_tenants, db=DB)
    tenants = fleet_tenants(ctx)
    say(f"P4: no-op over {tenants} tenants")
    repair(ctx)
    awan_noop = [_awan(ctx, log="p4-noop-awan") for _ in range(sizes.p4_noop_reps)]
    peers_noop = {
        name: [_peer(ctx, name, log=f"p4-noop-{name}") for _ in range(sizes.p4_peer_noop_reps)]
        for name in PEERS
    }
    say(f"P4: one additive migration over {tenants} tenants")
    awan_add, awan_cols = additive(ctx, "a", "awan")
    peer_add, peer_cols = additive(ctx, "b", "multiprocessing")
    if awan_cols < tenants or peer_cols < tenants:
        raise BenchError(f"P4: additive migration reached {awan_cols}/{peer_cols} of {tenants}")
    repair(ctx)
    say("P4: `release` with nothing to migrate (the pool topped up by a first run)")
    run_manage(ctx, ["release"], db=DB, log_name="p4-release-prime")
    release = run_manage(ctx, ["release"], db=DB, log_name="p4-release")
    common = {"tenants": tenants, "jobs": sizes.fleet_jobs}
    noop_target = "≤ 5 s and ≥ 20× faster (at 1,000 tenants)"
    rows = [
        Row(
            "P4.1",
            f"no-op fleet migration, {tenants} tenants",
            "s",
            Stats.of(awan_noop),
            Stats.of(peers_noop["standard"]),
            "migrate_schemas (standard executor)",
            target=noop_target,
            limit=lambda r: min(5, peer_of(r) / 20),
            sizes=common,
        ),
        Row(
            "P4.2",
            f"additive migration (one AddField), {tenants} tenants",
            "s",
            Stats.single(awan_add),
            Stats.single(peer_add),
            "migrate_schemas --executor multiprocessing",
            target="≥ 5× faster",
            limit=lambda r: peer_of(r) / 5,
            sizes=common,
            extra={"schemas_migrated": {"awan": awan_cols, "multiprocessing": peer_cols}},
        ),
    ]
    for index, (name, label) in enumerate(
        (
            ("multiprocessing", "migrate_schemas --executor multiprocessing"),
            ("smart", "django-tenants-smart-executor (standard)"),
            ("smart-multiprocessing", "django-tenants-smart-executor (multiprocessing)"),
        ),
        start=1,
    ):
        rows.append(
            Row(
                f"P4.c{index}",
                f"no-op fleet migration, {tenants} tenants, vs {name} (context)",
                "s",
                Stats.of(awan_noop),
                Stats.of(peers_noop[name]),
                label,
                sizes=common,
            )
        )
    rows.append(
        Row(
            "P4.c4",
            f"`manage.py release` with nothing to do, {tenants} tenants (context)",
            "s",
            Stats.single(release),
            sizes=common,
        )
    )
    return rows


def run_big(ctx: Context) -> list[Row]:
    """The additive run over the large fleet, Awan alone."""
    sizes = ctx.sizes
    fleet.ensure_fleet(ctx, sizes.p4_big, db=DB)
    tenants = fleet_tenants(ctx)
    say(f"P4: one additive migration over {tenants} tenants (Awan)")
    fixed = _awan(ctx, log="p4-big-noop")  # what doesn't grow with the fleet: start, one query
    seconds, columns = additive(ctx, "c", "awan")
    if columns < tenants:
        raise BenchError(f"P4: additive migration reached {columns} of {tenants} schemas")
    repair(ctx)
    projected = seconds
    if tenants < TARGET_TENANTS:
        projected = fixed + max(seconds - fixed, 0) * TARGET_TENANTS / tenants
    extra: dict[str, Any] = {
        "measured_seconds": round(seconds, 2),
        "measured_tenants": tenants,
        "noop_seconds": round(fixed, 2),
    }
    notes = ""
    if tenants < TARGET_TENANTS:
        notes = (
            f"measured {seconds:.1f} s over {tenants} tenants; projected to 10,000 as "
            f"the no-op run's {fixed:.1f} s + the rest × 10,000 / {tenants}"
        )
    return [
        Row(
            "P4.3",
            "additive migration, 10,000 tenants" + (" (projected)" if notes else ""),
            "s",
            Stats.single(projected),
            target="< 15 min (900 s)",
            limit=lambda r: 900,
            sizes={"tenants": tenants, "jobs": sizes.fleet_jobs},
            notes=notes,
            extra=extra,
        )
    ]
