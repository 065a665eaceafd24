from django.core.management.base import BaseCommand

from tenants.audit import actor_cli
from tenants.lifecycle import tenant_suspend
from tenants.management.commands._lifecycle import run, tenant_arg


class Command(BaseCommand):
    help = "Suspend a tenant: blocked everywhere, its users shown the reason (audited)."

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--reason", required=True, help="shown to the tenant's users")

    def handle(self, *args, subdomain, reason, **options):
        tenant = run(tenant_suspend, tenant=tenant_arg(subdomain), reason=reason, actor=actor_cli())
        self.stdout.write(self.style.SUCCESS(f"{tenant.subdomain} is suspended: {reason}"))
