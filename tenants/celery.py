"""Tenant-aware Celery tasks, the thin way.

A tenant task takes `schema_name` as an explicit keyword argument (visible in its signature,
its logs and its retries) and runs inside that schema. We chose this over
tenant-schemas-celery's implicit header propagation: see docs/architecture.md.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from celery import Task
from django_tenants.utils import tenant_context

from tenants.db import use_public_schema

logger = logging.getLogger(__name__)


class TenantTask(Task):
    abstract = True
    # A suspended tenant's tasks are skipped (logged), unless the task is part of operating
    # on the tenant itself (an operator's export, say) and sets this.
    runs_when_suspended = False

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from tenants.selectors import tenant_for_schema

        schema_name = kwargs.get("schema_name")
        if not schema_name:
            raise TypeError(f"{self.name} is a tenant task and needs schema_name=")
        use_public_schema()
        tenant = tenant_for_schema(schema_name=schema_name)
        if tenant is None:
            # The tenant is gone (deleted, or its signup rolled back): nothing to do.
            logger.warning("skipping task %s: no tenant with schema %s", self.name, schema_name)
            return None
        if tenant.is_suspended and not self.runs_when_suspended:
            logger.warning("skipping task %s: tenant %s is suspended", self.name, schema_name)
            return None
        # tenant_context (not schema_context) so code in the task sees the real tenant row:
        # its channel, flags and plan, exactly as in a request.
        with tenant_context(tenant):
            return super().__call__(*args, **kwargs)


def in_tenant(schema_name: str, work: Callable[..., Any], **kwargs: Any) -> int:
    """Run `work(schema_name=…, **kwargs)` inside that tenant, the way TenantTask runs a whole
    task: for batch tasks that touch many tenants. Returns 1 if it ran, 0 if skipped (tenant
    gone or suspended)."""
    from tenants.selectors import tenant_for_schema

    use_public_schema()
    tenant = tenant_for_schema(schema_name=schema_name)
    if tenant is None or tenant.is_suspended:
        logger.warning("skipping %s for %s: tenant gone or suspended", work.__name__, schema_name)
        return 0
    with tenant_context(tenant):
        work(schema_name=schema_name, **kwargs)
    return 1
