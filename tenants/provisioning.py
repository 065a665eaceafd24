"""The one place a tenant's schema comes to exist, and goes away.

A schema is built by the fleet runner (tenants.fleet): CREATE SCHEMA, then the same prepared
migration plan every schema gets, in one transaction. Signups don't wait for that: they claim a
spare schema the worker built ahead of time (tenants.fleet.pool) and rename it, in the signup's
own transaction. Only when the pool is empty does a tenant start `provisioning`, and then the
worker builds its schema (tenants.tasks.tenant_provision) while the user watches a progress
page. No web request ever runs a migration.
"""

from __future__ import annotations

import logging
import time

from django.db import connection, transaction

from tenants import conf
from tenants.db import use_public_schema
from tenants.fleet.plans import PlanCache
from tenants.fleet.runner import schema_migrate

logger = logging.getLogger(__name__)


class SchemaBuildFailed(Exception):
    pass


def schema_build(*, schema_name: str, plans: PlanCache | None = None) -> None:
    """Create `schema_name` and migrate it to the code's migrations, all or nothing: run inside
    a transaction (PostgreSQL DDL is transactional), so a failure leaves no orphan."""
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f'CREATE SCHEMA "{schema_name}"')
        result = schema_migrate(schema_name, ring="build", plans=plans)
        if result.status != "migrated":
            raise SchemaBuildFailed(f"building {schema_name}: {result.status} {result.error}")
    use_public_schema()
    logger.info(
        "schema built schema=%s migrations=%d duration_ms=%d",
        schema_name,
        result.migrations,
        (time.monotonic() - started) * 1000,
    )


def schema_drop(*, schema_name: str) -> None:
    """Drop a tenant (or spare) schema and everything in it. Never public."""
    if not schema_name.startswith(conf.schema_prefix()):
        raise ValueError(f"refusing to drop non-tenant schema {schema_name!r}")
    use_public_schema()
    with connection.cursor() as cursor:
        # Django's foreign keys are checked at commit (DEFERRABLE INITIALLY DEFERRED): rows
        # written earlier in this transaction would leave checks pending on the tables, and
        # PostgreSQL refuses to drop a table with pending trigger events. Run them now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
        cursor.execute(
            "DELETE FROM public.tenants_schemastate WHERE schema_name = %s", [schema_name]
        )
