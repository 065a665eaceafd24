from django.core.management.base import BaseCommand, CommandError

from tenants.archive import RestoreRefused, tenant_restore
from tenants.audit import actor_cli
from tenants.routing import tenant_url
from tenants.services import SubdomainTaken


class Command(BaseCommand):
    help = (
        "Restore a tenant export (the zip tenant_export wrote) into a NEW tenant with the given "
        "subdomain: every row, users' passwords included; a fresh trial. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="path to the export's .zip")
        parser.add_argument("subdomain", help="the new tenant's subdomain")
        parser.add_argument("--name", default="", help="default: the exported tenant's name")

    def handle(self, *args, archive, subdomain, name, **options):
        try:
            result = tenant_restore(
                archive_path=archive,
                subdomain=subdomain.strip().lower(),
                name=name,
                actor=actor_cli(),
            )
        except (RestoreRefused, SubdomainTaken) as exc:
            raise CommandError(exc.message) from exc
        for note in result.notes:
            self.stdout.write(self.style.WARNING(note))
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {result.rows} rows in {result.tables} tables into "
                f"{result.tenant.subdomain}: {tenant_url(tenant=result.tenant, path='/')}"
            )
        )
