"""The one place a tenant's schema comes to exist.

Everything that needs a schema (signup, commands, tests) calls `schema_provision`. Today it
creates the schema and runs the tenant migrations into it; a pool of pre-migrated schemas can
replace these insides without any caller changing.
"""

from __future__ import annotations

import logging
import time

from django.core.management import call_command
from django.db import connection
from django_tenants.utils import schema_exists

from tenants import conf
from tenants.db import use_public_schema
from tenants.models import Tenant

logger = logging.getLogger(__name__)


def schema_provision(*, tenant: Tenant) -> None:
    """Create and migrate `tenant`'s schema inside the caller's transaction.

    PostgreSQL DDL is transactional: if the caller's transaction rolls back, so does the schema,
    which is what keeps a failed or lost signup race from leaving an orphan schema behind.
    """
    started = time.monotonic()
    if schema_exists(tenant.schema_name):
        raise RuntimeError(f"schema {tenant.schema_name} already exists")
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE SCHEMA "{tenant.schema_name}"')
    call_command(
        "migrate_schemas",
        tenant=True,
        schema_name=tenant.schema_name,
        interactive=False,
        verbosity=0,
    )
    use_public_schema()
    logger.info(
        "schema provisioned schema=%s duration_ms=%d",
        tenant.schema_name,
        (time.monotonic() - started) * 1000,
    )


def schema_drop(*, schema_name: str) -> None:
    """Drop a tenant schema and everything in it. Only for tenant schemas, never public."""
    if not schema_name.startswith(conf.schema_prefix()):
        raise ValueError(f"refusing to drop non-tenant schema {schema_name!r}")
    use_public_schema()
    with connection.cursor() as cursor:
        cursor.execute(f'DROP SCHEMA IF EXISTS "{schema_name}" CASCADE')
