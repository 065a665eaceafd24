"""Reads of the public schema's tenancy tables. Views and tasks ask here, never query directly."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q

from tenants import conf
from tenants.models import Domain, Tenant


def tenant_for_hostname(*, hostname: str) -> Tenant | None:
    domain = Domain.objects.select_related("tenant").filter(domain=hostname).first()
    return domain.tenant if domain else None


def tenant_for_subdomain(*, subdomain: str) -> Tenant | None:
    return Tenant.objects.filter(subdomain=subdomain).exclude(schema_name="public").first()


def tenant_for_schema(*, schema_name: str) -> Tenant | None:
    return Tenant.objects.filter(schema_name=schema_name).first()


def subdomain_is_taken(*, subdomain: str, schema_name: str) -> bool:
    """Taken by a tenant, a domain, or any schema already in the database (even an orphan)."""
    hostname = f"{subdomain}.{conf.base_domain()}"
    if Tenant.objects.filter(Q(subdomain=subdomain) | Q(schema_name=schema_name)).exists():
        return True
    if Domain.objects.filter(domain=hostname).exists():
        return True
    return schema_exists(schema_name=schema_name)


def schema_exists(*, schema_name: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", [schema_name])
        return cursor.fetchone() is not None


def tenant_primary_hostname(*, tenant: Tenant) -> str:
    domain = tenant.domains.filter(is_primary=True).first()
    return domain.domain if domain else f"{tenant.subdomain}.{conf.base_domain()}"
