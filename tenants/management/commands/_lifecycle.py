"""What the tenant lifecycle commands share: finding the tenant, and turning the services'
refusals into a clear message with exit code 1 (CommandError)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import CommandError

from tenants.lifecycle import LifecycleRefused
from tenants.models import PublicTenantProtected, Tenant


def tenant_arg(subdomain: str) -> Tenant:
    tenant = Tenant.objects.filter(subdomain=subdomain.strip().lower()).first()
    if tenant is None:
        raise CommandError(f"No tenant with subdomain {subdomain!r}.")
    if tenant.is_public:
        raise CommandError(PublicTenantProtected.message)
    return tenant


@contextmanager
def refusals_as_errors() -> Iterator[None]:
    try:
        yield
    except (LifecycleRefused, PublicTenantProtected) as exc:
        raise CommandError(exc.message) from exc


def run(service: Callable[..., Any], **kwargs: Any) -> Any:
    with refusals_as_errors():
        return service(**kwargs)
