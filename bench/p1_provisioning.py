"""P1 provisioning: a validated signup → tenant + domain + schema + owner, ready.

Awan: `tenants.services.tenant_signup`, which claims a spare schema from the warm pool (filled
before timing, outside the timed section). Peers, in a process with django-tenants' own backend:

- default: the Tenant row, then `tenant.create_schema(check_if_exists=True, verbosity=0)` (what
  TenantMixin.save does with auto_create_schema=True: CREATE SCHEMA + migrate_schemas for that
  schema), the Domain row and the owner user;
- clone: the same with TENANT_BASE_SCHEMA + TENANT_CREATION_FAKES_MIGRATIONS=True and a base
  schema prepared once (clone_schema(), then migrate_schemas --fake for the new schema).

Password hashing is excluded by timing with MD5PasswordHasher (the test settings' hasher; its
make_password cost is reported). The whole signup POST is timed with Django's default hashers
(PBKDF2), in-process with the test Client on the public host, next to make_password alone.
Each timed series follows one untimed warm-up signup. "+200 migrations" runs the same in a
database of its own with bench.synthetic added to TENANT_APPS.
"""

from __future__ import annotations

import time
from typing import Any

from bench.common import (
    TENANTS,
    BenchError,
    Context,
    Row,
    Stats,
    database_drop,
    database_recreate,
    job_main,
    peer_of,
    run_job,
    run_manage,
    say,
)

DB = "awan_bench"
SYNTHETIC_DB = "awan_bench_syn"
BASE_SCHEMA = "t_p1base"
PASSWORD = "a-long-bench-password-42"


# --- Django side -----------------------------------------------------------------------------


def _hash_ms(reps: int) -> tuple[list[float], str]:
    from django.contrib.auth.hashers import get_hasher, make_password

    times = []
    for _ in range(reps):
        started = time.perf_counter()
        make_password(PASSWORD)
        times.append((time.perf_counter() - started) * 1000)
    return times, str(get_hasher().algorithm)


def awan_signup(*, reps: int, prefix: str) -> dict[str, Any]:
    from tenants.fleet.pool import pool_ready_count, pool_refill
    from tenants.services import tenant_signup

    pool_refill(size=reps + 1)
    spares = pool_ready_count()
    if spares < reps + 1:
        raise RuntimeError(f"the pool has {spares} spare schemas, {reps + 1} needed")
    times, ready = [], 0
    for i in range(reps + 1):
        started = time.perf_counter()
        result = tenant_signup(
            name=f"Bench {prefix}{i}",
            subdomain=f"{prefix}{i}",
            owner_email=f"owner@{prefix}{i}.test",
            password=PASSWORD,
        )
        elapsed = (time.perf_counter() - started) * 1000
        if i == 0:
            continue  # warm-up
        times.append(elapsed)
        ready += result.ready
    hash_ms, hasher = _hash_ms(max(reps, 5))
    return {"ms": times, "ready": ready, "spares": spares, "hash_ms": hash_ms, "hasher": hasher}


def _peer_create(*, name: str, sub: str, password_hash: str) -> None:
    from django.contrib.auth import get_user_model
    from django_tenants.utils import schema_context

    from tenants.models import Domain, Tenant

    tenant = Tenant(name=name, subdomain=sub, schema_name="t_" + sub.replace("-", "_"))
    tenant.save()
    tenant.create_schema(check_if_exists=True, verbosity=0)
    Domain.objects.create(domain=f"{sub}.localhost", tenant=tenant, is_primary=True)
    with schema_context(tenant.schema_name):
        get_user_model().objects.create(
            username=f"owner@{sub}.test",
            email=f"owner@{sub}.test",
            password=password_hash,
            is_staff=True,
            is_superuser=True,
        )


def peer_create(*, reps: int, prefix: str, base_schema: str = "") -> dict[str, Any]:
    """django-tenants' default creation, or its clone option when `base_schema` is set (and
    the settings have TENANT_BASE_SCHEMA + TENANT_CREATION_FAKES_MIGRATIONS)."""
    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command
    from django.db import connection
    from django_tenants.utils import schema_exists

    prepare_ms = 0.0
    if base_schema:
        if getattr(settings, "TENANT_BASE_SCHEMA", "") != base_schema:
            raise RuntimeError("clone settings are not active (BENCH_CLONE_BASE)")
        started = time.perf_counter()
        if not schema_exists(base_schema):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{base_schema}"')
            call_command("migrate_schemas", schema_name=base_schema, interactive=False, verbosity=0)
        connection.set_schema_to_public()  # type: ignore[attr-defined]
        prepare_ms = (time.perf_counter() - started) * 1000
    times = []
    for i in range(reps + 1):
        started = time.perf_counter()
        _peer_create(
            name=f"Bench {prefix}{i}",
            sub=f"{prefix}{i}",
            password_hash=make_password(PASSWORD),
        )
        elapsed = (time.perf_counter() - started) * 1000
        if i:
            times.append(elapsed)
    return {"ms": times, "prepare_ms": prepare_ms}


def awan_post(*, reps: int, prefix: str) -> dict[str, Any]:
    """The whole signup POST on the public host, with the settings' (real) hasher. The time
    spent in make_password inside each POST is recorded too (a timing wrapper around the
    signup service's make_password, installed in this bench process only), so each POST's
    overhead over its own hash is exact even while the CPU is shared."""
    from django.test import Client

    import tenants.services
    from tenants.fleet.pool import pool_refill

    real_make_password = tenants.services.make_password
    hashing: list[float] = []

    def timed_make_password(*args: Any, **kwargs: Any) -> str:
        started = time.perf_counter()
        try:
            return real_make_password(*args, **kwargs)
        finally:
            hashing.append((time.perf_counter() - started) * 1000)

    tenants.services.make_password = timed_make_password  # type: ignore[assignment]
    pool_refill(size=reps + 1)
    client = Client(HTTP_HOST="localhost", REMOTE_ADDR="10.9.8.7")
    if client.get("/signup/").status_code != 200:
        raise RuntimeError("GET /signup/ did not answer 200")
    times, hash_ms = [], []
    for i in range(reps + 1):
        data = {
            "organization_name": f"Bench {prefix}{i}",
            "subdomain": f"{prefix}{i}",
            "email": f"owner@{prefix}{i}.test",
            "password": PASSWORD,
        }
        hashing.clear()
        started = time.perf_counter()
        response = client.post("/signup/", data=data)
        elapsed = (time.perf_counter() - started) * 1000
        location = response.headers.get("Location", "")
        if response.status_code != 302 or "/auth/handoff/" not in location:
            raise RuntimeError(f"signup POST answered {response.status_code} {location}")
        if not hashing:
            raise RuntimeError("the signup POST hashed no password through tenant_signup")
        if i:
            times.append(elapsed)
            hash_ms.append(sum(hashing))
    _, hasher = _hash_ms(1)
    return {"ms": times, "hash_ms": hash_ms, "hasher": hasher}


def drop_schema(*, schema: str) -> None:
    from tenants.provisioning import schema_drop

    schema_drop(schema_name=schema)


# --- runner side -----------------------------------------------------------------------------


def _synthetic_env() -> dict[str, str]:
    return {"BENCH_SYNTHETIC": "1"}


def signup_batches(
    ctx: Context, fleets: dict[str, tuple[str, dict[str, str]]], *, reps: int, batches: int = 2
) -> dict[str, dict[str, Any]]:
    """Awan signup times on each (database, environment), in batches that alternate between
    them, so the machine's drifting load weighs on each alike. The signed-up tenants are
    dropped after each batch."""
    results: dict[str, dict[str, Any]] = {
        name: {"ms": [], "hash_ms": [], "hasher": "", "ready": 0} for name in fleets
    }
    per_batch = max(1, reps // batches)
    for batch in range(batches):
        for name, (db, env) in fleets.items():
            prefix = f"s{name[:3]}{batch}-"
            result = run_job(
                ctx,
                "p1_provisioning",
                "awan_signup",
                db=db,
                env=env,
                args={"reps": per_batch, "prefix": prefix},
            )
            run_job(ctx, "fleet", "drop", db=db, env=env, args={"prefix": prefix})
            if result["ready"] != per_batch:
                raise BenchError(f"only {result['ready']} signups claimed a spare schema")
            for key in ("ms", "hash_ms"):
                results[name][key] += result[key]
            results[name]["hasher"] = result["hasher"]
    return results


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    say("P1: a database whose tenant apps have 200 more migrations (bench.synthetic)")
    database_recreate(ctx.server_url, SYNTHETIC_DB)
    try:
        run_manage(
            ctx,
            ["release", "--no-pool"],
            db=SYNTHETIC_DB,
            env=_synthetic_env(),
            log_name="p1-synthetic-release",
        )
        say("P1: Awan signups (pool claim), today's migrations and 200 more, alternating")
        signups = signup_batches(
            ctx,
            {"today": (DB, {}), "more": (SYNTHETIC_DB, _synthetic_env())},
            reps=sizes.p1_awan_reps,
        )
        awan, awan_syn = signups["today"], signups["more"]
        say("P1: django-tenants default creation (create_schema → migrate_schemas)")
        default = run_job(
            ctx,
            "p1_provisioning",
            "peer_create",
            settings=TENANTS,
            db=DB,
            args={"reps": sizes.p1_peer_reps, "prefix": "p1d-"},
        )
        default_syn = run_job(
            ctx,
            "p1_provisioning",
            "peer_create",
            settings=TENANTS,
            db=SYNTHETIC_DB,
            env=_synthetic_env(),
            args={"reps": sizes.p1_synthetic_peer_reps, "prefix": "p1e-"},
        )
    finally:
        database_drop(ctx.server_url, SYNTHETIC_DB)
    say("P1: django-tenants clone option (TENANT_BASE_SCHEMA)")
    clone = run_job(
        ctx,
        "p1_provisioning",
        "peer_create",
        settings=TENANTS,
        db=DB,
        args={"reps": sizes.p1_peer_reps, "prefix": "p1c-", "base_schema": BASE_SCHEMA},
        env={"BENCH_CLONE_BASE": BASE_SCHEMA},
    )
    say("P1: whole signup POST with the default (PBKDF2) hasher")
    post = run_job(
        ctx,
        "p1_provisioning",
        "awan_post",
        db=DB,
        args={"reps": sizes.p1_post_reps, "prefix": "p1p-"},
        env={"BENCH_REAL_HASHER": "1"},
    )
    from bench.fleet import drop_tenants

    for prefix in ("p1d-", "p1c-", "p1p-"):
        drop_tenants(ctx, db=DB, prefix=prefix)
    run_job(ctx, "p1_provisioning", "drop_schema", db=DB, args={"schema": BASE_SCHEMA})

    md5 = Stats.of(awan["hash_ms"]).median
    hasher_note = (
        f"password hash excluded: timed with {awan['hasher']} (make_password p50 {md5:.3f} ms)"
    )
    today = Stats.of(awan["ms"])
    overhead = Stats.of([p - h for p, h in zip(post["ms"], post["hash_ms"], strict=True)]).median
    more = Stats.of(awan_syn["ms"])
    rows = [
        Row(
            "P1.1",
            "signup → tenant+domain+schema+owner ready (today's migrations)",
            "ms",
            today,
            Stats.of(default["ms"]),
            "django-tenants default (create_schema)",
            target="p50 ≤ 20 ms and ≥ 15× faster",
            limit=lambda r: min(20, peer_of(r) / 15),
            sizes={"reps": len(awan["ms"]), "peer_reps": len(default["ms"])},
            notes=hasher_note,
        ),
        Row(
            "P1.2",
            "signup → … ready, tenant apps with 200 more migrations",
            "ms",
            more,
            Stats.of(default_syn["ms"]),
            "django-tenants default (create_schema)",
            target="p50 ≤ 20 ms and ≥ 100× faster",
            limit=lambda r: min(20, peer_of(r) / 100),
            sizes={
                "extra_migrations": 200,
                "reps": len(awan_syn["ms"]),
                "peer_reps": len(default_syn["ms"]),
            },
            notes=hasher_note,
        ),
        Row(
            "P1.3",
            "signup p50 flat: +200 migrations vs today's",
            "ms",
            more,
            today,
            "Awan with today's migrations",
            ratio_of="awan/peer",
            target="flat: ≤ 1.2× today's p50",
            limit=lambda r: 1.2 * peer_of(r),
        ),
        Row(
            "P1.4",
            "whole signup POST (PBKDF2 hash included), in-process Client",
            "ms",
            Stats.of(post["ms"]),
            Stats.of(post["hash_ms"]),
            f"make_password alone ({post['hasher']})",
            ratio_of="awan/peer",
            target="p50 ≤ hash p50 + 100 ms",
            limit=lambda r: peer_of(r) + 100,
            check=lambda r: r.extra["overhead_ms"] <= 100,
            sizes={"reps": len(post["ms"])},
            notes=f"peer = the make_password time inside each POST; the POST's own cost "
            f"(p50 of POST minus its hash) is {overhead:.1f} ms",
            extra={"overhead_ms": round(overhead, 2)},
        ),
        Row(
            "P1.c",
            "signup vs django-tenants clone option (context)",
            "ms",
            today,
            Stats.of(clone["ms"]),
            "django-tenants clone (TENANT_BASE_SCHEMA)",
            sizes={"peer_reps": len(clone["ms"])},
            extra={"base_schema_prepare_ms": round(clone["prepare_ms"], 1)},
        ),
    ]
    return rows


if __name__ == "__main__":
    job_main(
        {
            "awan_signup": awan_signup,
            "peer_create": peer_create,
            "awan_post": awan_post,
            "drop_schema": drop_schema,
        }
    )
