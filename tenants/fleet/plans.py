"""Migration plans for tenant schemas, built once and applied to many.

Every tenant schema at the same migration state needs the same work, so the work is prepared
once: Django's migration graph gives the plan, a schema editor in collect-SQL mode (run against
one schema of that state, for the introspection some operations do) turns each SQL-expressible
operation into text, and operations that only Python can perform (RunPython) are kept with
their before/after states already rendered. Applying a plan to a schema is then executing text
and calling a few functions, with no per-schema graph loading, state rendering or
table-existence scans (what makes `migrate_schemas` slow at fleet size).

Like `migrate_schemas`, a tenant schema records every migration of every app in its
`django_migrations` (shared apps' operations are skipped by django-tenants' router), and the
content types and permissions `post_migrate` would create are inserted alongside.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from django.apps import apps
from django.contrib.auth import get_permission_codename
from django.db import connection, router
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.migration import Migration
from django.db.migrations.operations.base import Operation
from django.db.migrations.recorder import MigrationRecorder
from django.db.migrations.state import ProjectState

Key = tuple[str, str]


@dataclass(frozen=True)
class SqlStep:
    sql: str


@dataclass(frozen=True)
class PythonStep:
    app_label: str
    operation: Operation
    from_state: ProjectState
    to_state: ProjectState


@dataclass
class Plan:
    """What one schema at `applied` needs to reach the target: steps, then the rows to record."""

    applied: frozenset[Key]
    migrations: list[Key] = field(default_factory=list)
    steps: list[SqlStep | PythonStep] = field(default_factory=list)
    non_atomic: list[Key] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.migrations

    @property
    def sql_only(self) -> bool:
        return all(isinstance(step, SqlStep) for step in self.steps)


@cache
def _loader() -> MigrationLoader:
    """The migration graph, read from disk once per process (no database needed)."""
    return MigrationLoader(None, ignore_no_migrations=True)


def target_migrations() -> frozenset[Key]:
    return frozenset(_loader().graph.nodes)


def fingerprint(applied: frozenset[Key] | set[Key]) -> str:
    text = "\n".join(f"{app}.{name}" for app, name in sorted(applied))
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def target_fingerprint() -> str:
    return fingerprint(target_migrations())


def _full_order() -> list[Key]:
    graph = _loader().graph
    order: list[Key] = []
    seen: set[Key] = set()
    for leaf in sorted(graph.leaf_nodes()):
        for key in graph.forwards_plan(leaf):
            if key not in seen:
                seen.add(key)
                order.append(key)
    return order


def _state_at(applied: frozenset[Key]) -> ProjectState:
    loader = _loader()
    state = ProjectState(real_apps=loader.unmigrated_apps)
    for key in _full_order():
        if key in applied:
            state = loader.graph.nodes[key].mutate_state(state, preserve=False)
    return state


def plan_build(applied: frozenset[Key]) -> Plan:
    """Build the plan for schemas at `applied`. Must run with the connection on a schema at
    that state, inside a transaction (some operations introspect while collecting SQL)."""
    loader = _loader()
    plan = Plan(applied=applied)
    pending = [key for key in _full_order() if key not in applied]
    if not pending:
        return plan
    state = _state_at(applied)
    for key in pending:
        migration: Migration = loader.graph.nodes[key]
        plan.migrations.append(key)
        if not migration.atomic:
            # Can't run inside the per-schema transaction: the runner hands this plan to
            # Django's own executor instead (see runner.py).
            plan.non_atomic.append(key)
            state = migration.mutate_state(state, preserve=False)
            continue
        with connection.schema_editor(collect_sql=True, atomic=False) as editor:
            for operation in migration.operations:
                before = state.clone()
                operation.state_forwards(migration.app_label, state)
                if operation.reduces_to_sql:
                    operation.database_forwards(migration.app_label, editor, before, state)
                    continue
                _flush(plan, editor)
                # Render both states now, once, for every schema that will run this step.
                before.apps  # noqa: B018
                after = state.clone()
                after.apps  # noqa: B018
                plan.steps.append(PythonStep(migration.app_label, operation, before, after))
        _flush(plan, editor)
    return plan


def _flush(plan: Plan, editor: Any) -> None:
    statements = [s for s in editor.collected_sql if s.strip() and not s.startswith("--")]
    editor.collected_sql.clear()
    if statements:
        plan.steps.append(SqlStep("\n".join(statements)))


@cache
def migrations_table_sql() -> str:
    """CREATE TABLE django_migrations, exactly as Django's recorder makes it."""
    with connection.schema_editor(collect_sql=True, atomic=False) as editor:
        editor.create_model(MigrationRecorder.Migration)
    return "\n".join(s for s in editor.collected_sql if s.strip())


@cache
def content_types_and_permissions_sql() -> str:
    """What `post_migrate` creates in a tenant schema (every model's content type and default
    permissions), as idempotent inserts. Run after a plan has been applied."""
    content_types: list[str] = []
    permissions: list[str] = []

    def literal(value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    for model in apps.get_models():
        opts = model._meta
        app_label, model_name = literal(opts.app_label), literal(str(opts.model_name))
        content_types.append(f"({app_label}, {model_name})")
        # What django.contrib.auth's post_migrate creates: the default actions, then Meta's own.
        default = [
            (get_permission_codename(action, opts), f"Can {action} {opts.verbose_name_raw}")
            for action in opts.default_permissions
        ]
        for codename, name in [*default, *opts.permissions]:
            permissions.append(
                f"({app_label}, {model_name}, {literal(codename)}, {literal(str(name)[:255])})"
            )
    return (
        "INSERT INTO django_content_type (app_label, model) VALUES "
        + ", ".join(content_types)
        + " ON CONFLICT (app_label, model) DO NOTHING;\n"
        "INSERT INTO auth_permission (name, content_type_id, codename) "
        "SELECT v.name, ct.id, v.codename FROM (VALUES "
        + ", ".join(permissions)
        + ") AS v(app_label, model, codename, name) JOIN django_content_type ct "
        "ON ct.app_label = v.app_label AND ct.model = v.model "
        "ON CONFLICT (content_type_id, codename) DO NOTHING;"
    )


def tenant_models_allowed() -> bool:
    """True when the connection is on a tenant schema (django-tenants' router agrees)."""
    from django.contrib.contenttypes.models import ContentType

    return bool(router.allow_migrate_model(connection.alias, ContentType))


class PlanCache:
    """Plans by starting state, shared by the runner's threads; each is built once."""

    def __init__(self) -> None:
        self._plans: dict[frozenset[Key], Plan] = {}
        self._lock = threading.Lock()

    def get(self, applied: frozenset[Key]) -> Plan:
        plan = self._plans.get(applied)
        if plan is not None:
            return plan
        with self._lock:
            plan = self._plans.get(applied)
            if plan is None:
                plan = plan_build(applied)
                self._plans[applied] = plan
        return plan
