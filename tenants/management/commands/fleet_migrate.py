from django.core.management.base import BaseCommand, CommandError

from tenants.fleet.runner import RINGS, fleet_migrate


class Command(BaseCommand):
    help = (
        "Migrate every tenant schema that needs it: one catalog query to find them, rings "
        "(pool, beta, stable), one transaction per schema, in parallel, with progress."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rings",
            default=",".join(RINGS),
            help=f"comma-separated rings to migrate, in this order: {', '.join(RINGS)}",
        )
        parser.add_argument("--jobs", type=int, default=4, help="schemas migrated at once")
        parser.add_argument(
            "--schema", action="append", dest="schemas", help="only this schema (repeatable)"
        )

    def handle(self, *args, rings: str, jobs: int, schemas: list[str] | None, **options):
        chosen = [r.strip() for r in rings.split(",") if r.strip()]
        unknown = sorted(set(chosen) - set(RINGS))
        if unknown:
            raise CommandError(f"unknown ring(s): {', '.join(unknown)}; use {', '.join(RINGS)}")
        report = fleet_migrate(
            rings=chosen,
            jobs=jobs,
            only=schemas,
            say=lambda line: self.stdout.write(f"[fleet] {line}", ending="\n"),
        )
        if report.failed:
            names = ", ".join(r.schema for r in report.failed[:20])
            raise CommandError(
                f"{len(report.failed)} schema(s) failed and were left as they were: {names}"
            )
