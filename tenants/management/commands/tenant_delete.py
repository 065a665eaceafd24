from django.core.management.base import BaseCommand

from tenants.audit import actor_cli
from tenants.lifecycle import tenant_delete_request
from tenants.management.commands._lifecycle import run, tenant_arg


class Command(BaseCommand):
    help = (
        "Start a tenant's deletion: read-only now, a final export made, purged by the worker "
        "after the grace period (TENANT_DELETION_GRACE_DAYS, or --grace-days). Audited; "
        "cancel with tenant_delete_cancel."
    )

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--reason", required=True)
        parser.add_argument("--grace-days", type=int, default=None)

    def handle(self, *args, subdomain, reason, grace_days, **options):
        tenant = run(
            tenant_delete_request,
            tenant=tenant_arg(subdomain),
            reason=reason,
            grace_days=grace_days,
            actor=actor_cli(),
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"{tenant.subdomain} is pending deletion; it will be purged on "
                f"{tenant.deletion_due_at:%Y-%m-%d %H:%M} UTC."
            )
        )
