import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from tenants.fleet.pool import pool_refill
from tenants.fleet.runner import RINGS, fleet_migrate


class Command(BaseCommand):
    help = (
        "The deploy's release phase: migrate the public schema, then every tenant schema ring "
        "by ring (pool, beta, stable) with the fleet runner, bootstrap the public tenant and "
        "plans, and top up the pool of spare schemas. Run it on the direct database connection."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rings",
            default=",".join(RINGS),
            help="tenant rings to migrate now; leave out 'stable' to let the worker do it "
            "(fleet_migrate_ring) when a fleet outgrows the release hour",
        )
        parser.add_argument(
            "--defer-stable",
            action="store_true",
            help="migrate public, the pool and beta now; queue the stable ring for the worker",
        )
        parser.add_argument("--jobs", type=int, default=4)
        parser.add_argument("--no-pool", action="store_true", help="don't top up the pool")

    def handle(self, *args, rings: str, jobs: int, no_pool: bool, defer_stable: bool, **options):
        def say(line: str) -> None:
            self.stdout.write(f"[release] {line}")

        started = time.monotonic()
        say("public schema")
        call_command("migrate_schemas", shared=True, interactive=False, verbosity=0)
        chosen = [r.strip() for r in rings.split(",") if r.strip()]
        if defer_stable:
            chosen = [r for r in chosen if r != "stable"]
        report = fleet_migrate(rings=chosen, jobs=jobs, say=say)
        if defer_stable:
            from tenants.tasks import fleet_migrate_ring

            fleet_migrate_ring.delay(ring="stable")
            say("stable ring queued for the worker (fleet_migrate_ring)")
        call_command("tenants_bootstrap", stdout=self.stdout)
        if not no_pool:
            built = pool_refill()
            say(f"pool: {built} spare schema(s) built")
        say(f"done in {time.monotonic() - started:.1f} s")
        if report.failed:
            raise CommandError(
                f"{len(report.failed)} tenant schema(s) failed to migrate: "
                + ", ".join(r.schema for r in report.failed[:20])
            )
