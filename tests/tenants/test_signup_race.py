"""Two signups racing for one subdomain: exactly one wins, the other is told it's taken, and no
orphan schema or row is left behind. Real threads, real connections, real commits."""

from __future__ import annotations

import threading

from django.db import connection, connections

from tenants.models import Domain, Tenant
from tenants.selectors import schema_exists
from tenants.services import SubdomainTaken, tenant_signup
from tenants.validators import schema_name_for


def _race(subdomain: str, contenders: int) -> list[object]:
    barrier = threading.Barrier(contenders)
    outcomes: list[object] = [None] * contenders

    def contend(index: int) -> None:
        try:
            barrier.wait()
            result = tenant_signup(
                name=f"Racer {index}",
                subdomain=subdomain,
                owner_email=f"racer{index}@race.test",
                password="a-long-racing-password",
            )
            outcomes[index] = result.tenant.name
        except SubdomainTaken as exc:
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=contend, args=(i,)) for i in range(contenders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_signups_for_one_subdomain_leave_exactly_one_tenant(live_db):
    outcomes = _race("photo-finish", contenders=3)

    winners = [o for o in outcomes if isinstance(o, str)]
    losers = [o for o in outcomes if isinstance(o, SubdomainTaken)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 2, outcomes
    connection.set_schema_to_public()
    tenant = Tenant.objects.get(subdomain="photo-finish")
    assert tenant.name == winners[0]
    assert Domain.objects.filter(domain="photo-finish.localhost").count() == 1
    assert schema_exists(schema_name=schema_name_for("photo-finish"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 't_photo%%'")
        assert cursor.fetchone()[0] == 1
