from django.core.management.base import BaseCommand

from tenants.audit import actor_cli
from tenants.lifecycle import tenant_reactivate
from tenants.management.commands._lifecycle import run, tenant_arg


class Command(BaseCommand):
    help = "Reactivate a suspended tenant (audited)."

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--reason", default="")

    def handle(self, *args, subdomain, reason, **options):
        tenant = run(
            tenant_reactivate, tenant=tenant_arg(subdomain), reason=reason, actor=actor_cli()
        )
        self.stdout.write(self.style.SUCCESS(f"{tenant.subdomain} is active again."))
