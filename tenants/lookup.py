"""Host → tenant, with its billing state, cached in each web process.

Looking the tenant up on every request (domain, tenant, then subscription and plan for the
billing middleware) is most of what tenancy costs a request. Here each process keeps a routing
table in memory and asks the database one cheap question per request: has anything changed?
`tenants_routingversion` holds a number that database triggers bump whenever a tenant, domain,
subscription or plan row changes, whoever changes it (a service, the admin, the trial sweep,
raw SQL). When it moved, the table is thrown away and rebuilt lazily, so every process sees a
change on its next request. The bump is part of the writing transaction, so a reader never sees
the new number with the old rows.

Entries are plain values; each request gets fresh model instances built from them (no
query), with the subscription and plan attached for `billing.selectors.billing_state_for`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from django.db import connection

from tenants.db import any_search_path, use_public_schema
from tenants.models import Tenant

MAX_ENTRIES = 20_000
_TENANT_FIELDS = [f.attname for f in Tenant._meta.concrete_fields]


@dataclass(frozen=True)
class Entry:
    tenant: dict[str, Any]
    subscription: dict[str, Any] | None
    plan: dict[str, Any] | None


class _Table:
    def __init__(self) -> None:
        self.version: int | None = None
        self.entries: OrderedDict[tuple[str, str], Entry | None] = OrderedDict()
        self.lock = threading.Lock()

    def sync(self, version: int) -> None:
        if version != self.version:
            with self.lock:
                self.entries.clear()
                self.version = version

    def get(self, key: tuple[str, str]) -> tuple[bool, Entry | None]:
        if key in self.entries:
            self.entries.move_to_end(key)
            return True, self.entries[key]
        return False, None

    def put(self, key: tuple[str, str], entry: Entry | None) -> None:
        with self.lock:
            self.entries[key] = entry
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)


_table = _Table()


def routing_version() -> int:
    """The one statement a routed request pays for tenancy (schema-qualified, so it needs no
    search_path of its own)."""
    with any_search_path(), connection.cursor() as cursor:
        cursor.execute("SELECT version FROM public.tenants_routingversion WHERE id = 1")
        row = cursor.fetchone()
    return int(row[0]) if row else -1


def _instance(model: type, values: dict[str, Any]) -> Any:
    obj = model(**values)
    obj._state.adding = False
    obj._state.db = "default"
    return obj


def _entry(tenant: Tenant) -> Entry:
    from billing.conf import trial_plan_key
    from billing.models import Plan, Subscription

    sub = Subscription.objects.filter(tenant_id=tenant.pk).values().first()
    if sub is None:
        plan = None
    elif sub["plan_id"]:
        plan = Plan.objects.filter(pk=sub["plan_id"]).values().first()
    else:  # on trial: the trial plan's limits apply
        plan = Plan.objects.filter(key=trial_plan_key(), is_active=True).values().first()
    return Entry(
        tenant={name: getattr(tenant, name) for name in _TENANT_FIELDS},
        subscription=dict(sub) if sub is not None else None,
        plan=dict(plan) if plan is not None else None,
    )


def materialize(entry: Entry) -> Tenant:
    from billing.models import Plan, Subscription

    tenant = _instance(Tenant, entry.tenant)
    tenant.billing_snapshot = (  # type: ignore[attr-defined]
        _instance(Subscription, entry.subscription) if entry.subscription else None,
        _instance(Plan, entry.plan) if entry.plan else None,
    )
    return tenant


def _cached(key: tuple[str, str], load: Any) -> Tenant | None:
    _table.sync(routing_version())
    found, entry = _table.get(key)
    if not found:
        use_public_schema()
        tenant = load()
        entry = _entry(tenant) if tenant is not None else None
        _table.put(key, entry)
    return materialize(entry) if entry is not None else None


def tenant_for_hostname(*, hostname: str) -> Tenant | None:
    from tenants.selectors import tenant_for_hostname as load

    return _cached(("host", hostname), lambda: load(hostname=hostname))


def tenant_for_subdomain(*, subdomain: str) -> Tenant | None:
    from tenants.selectors import tenant_for_subdomain as load

    return _cached(("subdomain", subdomain), lambda: load(subdomain=subdomain))


def forget() -> None:
    """Drop this process's table (tests; the version check does it in production)."""
    _table.sync(-2)
