"""The warm pool: spare tenant schemas, built and migrated ahead of time by the worker, claimed
by signups in the signup's own transaction.

A claim is two statements: `SELECT … FOR UPDATE SKIP LOCKED` picks the oldest spare that is at
the code's migration fingerprint (concurrent signups never wait for each other), and
`ALTER SCHEMA … RENAME` gives it the tenant's name. If the signup rolls back, so does the
rename, and the spare is back in the pool. Beat enqueues `schema_pool_refill` every minute, and
every claim enqueues one, so the pool stays at TENANT_POOL_SIZE. The fleet runner migrates
spares like every other schema (ring "pool"), so a deploy never leaves them behind; a spare
that isn't at the code's fingerprint is never handed out.
"""

from __future__ import annotations

import logging
import uuid

from django.db import connection, transaction

from config import kv
from tenants import conf
from tenants.fleet.plans import PlanCache, target_fingerprint
from tenants.models import SpareSchema
from tenants.provisioning import schema_build, schema_drop

logger = logging.getLogger(__name__)
REFILL_LOCK = "awan:pool-refill"


def spare_name() -> str:
    """`t__pool_<hex>`: a tenant's schema is t_<subdomain>, and a subdomain never starts with a
    hyphen, so no tenant can ever be called this."""
    return f"{conf.schema_prefix()}_pool_{uuid.uuid4().hex[:16]}"


def pool_ready_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT count(*) FROM public.tenants_spareschema p
              JOIN public.tenants_schemastate s ON s.schema_name = p.schema_name
             WHERE s.fingerprint = %s
            """,
            [target_fingerprint()],
        )
        return int(cursor.fetchone()[0])


def pool_claim(*, schema_name: str) -> bool:
    """Inside the signup's transaction: rename a ready spare to `schema_name`. False when the
    pool is empty (the caller provisions in the worker instead)."""
    if not connection.in_atomic_block:
        raise RuntimeError("pool_claim must run inside the signup's transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.schema_name FROM public.tenants_spareschema p
              JOIN public.tenants_schemastate s ON s.schema_name = p.schema_name
             WHERE s.fingerprint = %s
             ORDER BY p.created LIMIT 1
               FOR UPDATE OF p SKIP LOCKED
            """,
            [target_fingerprint()],
        )
        row = cursor.fetchone()
        if row is None:
            return False
        spare = row[0]
        cursor.execute(f'ALTER SCHEMA "{spare}" RENAME TO "{schema_name}"')
        cursor.execute("DELETE FROM public.tenants_spareschema WHERE schema_name = %s", [spare])
        cursor.execute(
            "UPDATE public.tenants_schemastate SET schema_name = %s WHERE schema_name = %s",
            [schema_name, spare],
        )
    return True


def spare_create(*, plans: PlanCache | None = None) -> str:
    name = spare_name()
    with transaction.atomic():
        schema_build(schema_name=name, plans=plans)
        SpareSchema.objects.create(schema_name=name)
    return name


def pool_refill(*, size: int | None = None) -> int:
    """Build spares until `size` (TENANT_POOL_SIZE) are ready; returns how many were built.
    One refill at a time across every worker (a Redis lock)."""
    size = conf.pool_size() if size is None else size
    if not kv.client().set(REFILL_LOCK, "1", nx=True, ex=600):
        return 0
    built = 0
    try:
        plans = PlanCache()
        while pool_ready_count() < size:
            spare_create(plans=plans)
            built += 1
    finally:
        kv.client().delete(REFILL_LOCK)
    if built:
        logger.info("pool refilled built=%d size=%d", built, size)
    return built


def pool_drop_broken() -> int:
    """Drop spares the fleet runner could not migrate (they are never handed out; refilling
    replaces them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT p.schema_name FROM public.tenants_spareschema p
              JOIN public.tenants_schemastate s ON s.schema_name = p.schema_name
             WHERE s.fingerprint <> %s AND s.last_error <> ''
            """,
            [target_fingerprint()],
        )
        broken = [row[0] for row in cursor.fetchall()]
    for name in broken:
        with transaction.atomic():
            SpareSchema.objects.filter(schema_name=name).delete()
            schema_drop(schema_name=name)
    return len(broken)
