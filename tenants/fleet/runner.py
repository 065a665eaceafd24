"""The fleet runner: migrate every tenant schema, fast, in rings, one transaction per schema.

1. **Find the work in one query.** `tenants_schemastate` records the migration fingerprint the
   runner last applied to each schema; one query against it (joined with the tenants and the
   pool) lists the schemas that are not at the code's fingerprint. A no-op deploy stops here.
2. **Rings.** Spare schemas in the pool and beta-channel tenants first, then the stable ones:
   pre-release customers get a schema change first, and a change that breaks shows up there.
3. **One transaction per schema.** Take an advisory lock on the schema (two runners never
   migrate the same one), re-read its `django_migrations` (the truth), apply the prepared plan
   for that state (tenants.fleet.plans), record the migrations, content types and permissions,
   and the new fingerprint, then commit. A crash rolls back only the schema in flight: rerun
   and it carries on, and no schema is ever half-migrated.
4. **Isolation.** A schema that fails is rolled back, its error recorded and reported, and the
   rest go on; the run ends with a non-zero status so the deploy notices.
5. **In parallel, with progress:** N threads, each with its own connection; a line with the
   count, rate and ETA every few seconds.

Plans with a non-atomic migration (e.g. CREATE INDEX CONCURRENTLY) can't run inside the
per-schema transaction; those schemas are handed to django-tenants' `migrate_schemas`.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from tenants.db import use_public_schema, use_schema
from tenants.fleet.plans import (
    Key,
    Plan,
    PlanCache,
    PythonStep,
    SqlStep,
    content_types_and_permissions_sql,
    fingerprint,
    migrations_table_sql,
    target_fingerprint,
    target_migrations,
)

logger = logging.getLogger(__name__)

RINGS = ("pool", "beta", "stable")
PROGRESS_EVERY_SECONDS = 2.0
BUSY_RETRY_SECONDS = 2.0


@dataclass
class SchemaResult:
    schema: str
    ring: str
    status: str  # "migrated" | "current" | "busy" | "failed" | "missing"
    migrations: int = 0
    error: str = ""


@dataclass
class RunReport:
    target: str
    started: float = field(default_factory=time.monotonic)
    results: list[SchemaResult] = field(default_factory=list)
    finished: float | None = None

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def failed(self) -> list[SchemaResult]:
        return [r for r in self.results if r.status in ("failed", "missing")]

    @property
    def seconds(self) -> float:
        return (self.finished or time.monotonic()) - self.started


def schemas_needing_work(*, rings: Iterable[str] = RINGS) -> list[tuple[str, str]]:
    """(schema, ring) of every tenant and spare schema not at the code's fingerprint, in ring
    order: one query, however large the fleet."""
    wanted = [r for r in RINGS if r in set(rings)]
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT w.schema_name, w.ring FROM (
                SELECT t.schema_name,
                       CASE WHEN t.channel = 'beta' THEN 'beta' ELSE 'stable' END AS ring
                  FROM public.tenants_tenant t
                 WHERE t.schema_name <> 'public' AND t.status <> 'provisioning'
                UNION ALL
                SELECT p.schema_name, 'pool' FROM public.tenants_spareschema p
            ) w
            LEFT JOIN public.tenants_schemastate s ON s.schema_name = w.schema_name
            WHERE s.fingerprint IS DISTINCT FROM %s AND w.ring = ANY(%s)
            ORDER BY array_position(%s::text[], w.ring), w.schema_name
            """,
            [target_fingerprint(), wanted, list(RINGS)],
        )
        return [(schema, ring) for schema, ring in cursor.fetchall()]


def _quote(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def _applied(schema: str) -> frozenset[Key] | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f"{_quote(schema)}.django_migrations"])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT app, name FROM {_quote(schema)}.django_migrations")
        return frozenset((app, name) for app, name in cursor.fetchall())


def _record_state(schema: str, applied: frozenset[Key], error: str = "") -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO public.tenants_schemastate
                   (schema_name, fingerprint, migrated_at, last_error)
            VALUES (%s, %s, %s, %s)
            ON CONFLICT (schema_name) DO UPDATE
               SET fingerprint = EXCLUDED.fingerprint, migrated_at = EXCLUDED.migrated_at,
                   last_error = EXCLUDED.last_error
            """,
            [schema, fingerprint(applied), timezone.now(), error],
        )


def _record_failure(schema: str, error: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO public.tenants_schemastate
                   (schema_name, fingerprint, migrated_at, last_error)
            VALUES (%s, '', %s, %s)
            ON CONFLICT (schema_name) DO UPDATE SET last_error = EXCLUDED.last_error
            """,
            [schema, timezone.now(), error[:4000]],
        )


def _apply(schema: str, plan: Plan) -> None:
    with connection.cursor() as cursor:
        for step in plan.steps:
            if isinstance(step, SqlStep):
                cursor.execute(step.sql)
            else:
                _apply_python(step)
        rows = ", ".join(["(%s, %s, now())"] * len(plan.migrations))
        params = [part for key in plan.migrations for part in key]
        cursor.execute(
            f"INSERT INTO {_quote(schema)}.django_migrations (app, name, applied) VALUES {rows}",
            params,
        )
        cursor.execute(content_types_and_permissions_sql())


def _apply_python(step: PythonStep) -> None:
    with connection.schema_editor(atomic=False) as editor:
        step.operation.database_forwards(step.app_label, editor, step.from_state, step.to_state)


def schema_migrate(schema: str, *, ring: str = "", plans: PlanCache | None = None) -> SchemaResult:
    """Bring one schema to the code's migrations, all or nothing (see the module docstring)."""
    plans = plans or PlanCache()
    fallback = False
    try:
        with transaction.atomic():
            use_schema(schema)
            with connection.cursor() as cursor:
                cursor.execute("SELECT to_regnamespace(%s)", [_quote(schema)])
                if cursor.fetchone()[0] is None:
                    raise LookupError(f"schema {schema} does not exist")
                cursor.execute(
                    "SELECT pg_try_advisory_xact_lock(hashtextextended(%s, 0))",
                    [f"awan.fleet:{schema}"],
                )
                if not cursor.fetchone()[0]:
                    return SchemaResult(schema, ring, "busy")
            applied = _applied(schema)
            if applied is None:
                with connection.cursor() as cursor:
                    cursor.execute(migrations_table_sql())
                applied = frozenset()
            plan = plans.get(applied)
            if plan.empty:
                # Everything the code has is applied (a schema may be ahead, after a rollback
                # of the code): it is current.
                _record_state(schema, target_migrations())
                return SchemaResult(schema, ring, "current")
            if plan.non_atomic:
                fallback = True
            else:
                _apply(schema, plan)
                _record_state(schema, applied | frozenset(plan.migrations))
                return SchemaResult(schema, ring, "migrated", len(plan.migrations))
        # A migration that can't run in a transaction: Django's executor, for this schema.
        call_command("migrate_schemas", schema_name=schema, interactive=False, verbosity=0)
        with transaction.atomic():
            use_schema(schema)
            after = _applied(schema) or frozenset()
            _record_state(schema, after)
        return SchemaResult(schema, ring, "migrated", len(plan.migrations))
    except LookupError as exc:
        _reset_schema()
        return SchemaResult(schema, ring, "missing", error=str(exc))
    except Exception as exc:
        _reset_schema()
        error = f"{exc.__class__.__name__}: {exc}"
        logger.warning("fleet: %s failed: %s", schema, error)
        _record_failure(schema, error)
        return SchemaResult(schema, ring, "failed", error=error)
    finally:
        if not fallback:
            _reset_schema()


def _reset_schema() -> None:
    use_public_schema()


def _say_progress(say: Callable[[str], None], ring: str, done: int, total: int, began: float):
    elapsed = max(time.monotonic() - began, 1e-6)
    rate = done / elapsed
    eta = (total - done) / rate if rate else 0
    percent = 100 * done / total if total else 100
    say(f"{ring}: {done}/{total} schemas ({percent:.0f}%), {rate:.0f}/s, ETA {eta:.0f} s")


def fleet_migrate(
    *,
    rings: Iterable[str] = RINGS,
    jobs: int = 4,
    say: Callable[[str], None] = lambda line: None,
    only: Iterable[str] | None = None,
) -> RunReport:
    """Migrate every schema that needs it, ring by ring, `jobs` schemas at a time (0: one at a
    time on the caller's own connection)."""
    report = RunReport(target=target_fingerprint())
    target_migrations()  # load the graph once, before the threads start
    work = schemas_needing_work(rings=rings)
    if only is not None:
        keep = set(only)
        work = [(s, r) for s, r in work if s in keep]
    if not work:
        say("every tenant schema is up to date")
        report.finished = time.monotonic()
        return report
    plans = PlanCache()
    for ring in [r for r in RINGS if any(w[1] == r for w in work)]:
        schemas = [s for s, r in work if r == ring]
        say(f"{ring}: {len(schemas)} schema(s) to migrate with {jobs} job(s)")
        results = _run_ring(ring, schemas, jobs=jobs, plans=plans, say=say)
        busy = [r.schema for r in results if r.status == "busy"]
        if busy:
            # Another runner has them, or a crashed one's connection is still letting go.
            time.sleep(BUSY_RETRY_SECONDS)
            again = {r.schema: r for r in _run_ring(ring, busy, jobs=jobs, plans=plans, say=say)}
            results = [again.get(r.schema, r) for r in results]
        report.results += results
    report.finished = time.monotonic()
    say(
        f"done in {report.seconds:.1f} s: {report.count('migrated')} migrated, "
        f"{report.count('current')} already current, {report.count('busy')} busy elsewhere, "
        f"{len(report.failed)} failed"
    )
    return report


def _run_ring(
    ring: str, schemas: list[str], *, jobs: int, plans: PlanCache, say: Callable[[str], None]
) -> list[SchemaResult]:
    pending: queue.Queue[str] = queue.Queue()
    for schema in schemas:
        pending.put(schema)
    results: list[SchemaResult] = []
    lock = threading.Lock()
    began = time.monotonic()
    last_said = [began]

    def worker() -> None:
        try:
            while True:
                try:
                    schema = pending.get_nowait()
                except queue.Empty:
                    return
                result = schema_migrate(schema, ring=ring, plans=plans)
                with lock:
                    results.append(result)
                    now = time.monotonic()
                    if now - last_said[0] >= PROGRESS_EVERY_SECONDS:
                        last_said[0] = now
                        _say_progress(say, ring, len(results), len(schemas), began)
        finally:
            connections.close_all()

    if jobs <= 0:
        # In this thread, on its connection (and inside its transaction, if it has one).
        for schema in schemas:
            results.append(schema_migrate(schema, ring=ring, plans=plans))
    else:
        threads = [threading.Thread(target=worker, name=f"fleet-{n}") for n in range(jobs)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    _say_progress(say, ring, len(results), len(schemas), began)
    for result in results:
        if result.status in ("failed", "missing"):
            say(f"{ring}: FAILED {result.schema}: {result.error}")
    return results
