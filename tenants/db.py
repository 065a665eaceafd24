"""Typed access to django-tenants' schema switching on the default connection.

django-tenants adds `set_tenant`, `set_schema_to_public` and `schema_name` to the connection at
runtime; routing them through here keeps the rest of the code typed and in one vocabulary."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

from django.db import connection

if TYPE_CHECKING:
    from django_tenants.postgresql_backend.base import DatabaseWrapper

    from tenants.models import Tenant


def _db() -> DatabaseWrapper:
    return cast("DatabaseWrapper", connection)


def use_public_schema() -> None:
    _db().set_schema_to_public()


def use_tenant(tenant: Tenant) -> None:
    _db().set_tenant(tenant)


def use_schema(schema_name: str) -> None:
    """Point the connection at a schema by name (no tenant row needed: spares, new schemas)."""
    _db().set_schema(schema_name)


def current_schema_name() -> str:
    return _db().schema_name


def current_tenant() -> Tenant:
    """The tenant the connection is on (the request's, or the task's), as a real row even
    inside django-tenants' `schema_context`, which only carries a schema name."""
    from tenants.models import Tenant

    tenant = _db().tenant
    if isinstance(tenant, Tenant):
        return tenant
    return Tenant.objects.get(schema_name=_db().schema_name)


@contextmanager
def any_search_path() -> Iterator[None]:
    """For statements that name their schema: run them on whatever search_path the connection
    has, instead of switching it (and back) for one query."""
    db = _db()
    previous = getattr(db, "search_path_free", False)
    db.search_path_free = True  # type: ignore[attr-defined]
    try:
        yield
    finally:
        db.search_path_free = previous  # type: ignore[attr-defined]
