from django.core.management.base import BaseCommand

from tenants.audit import actor_cli
from tenants.lifecycle import tenant_delete_cancel
from tenants.management.commands._lifecycle import run, tenant_arg


class Command(BaseCommand):
    help = "Cancel a pending deletion within its grace period (audited)."

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--reason", default="")

    def handle(self, *args, subdomain, reason, **options):
        tenant = run(
            tenant_delete_cancel, tenant=tenant_arg(subdomain), reason=reason, actor=actor_cli()
        )
        self.stdout.write(self.style.SUCCESS(f"{tenant.subdomain} stays: it is {tenant.status}."))
