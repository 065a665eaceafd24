from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import schema_context

from tenants.directory import account_index_add
from tenants.models import AccountIndex, Tenant


class Command(BaseCommand):
    help = (
        "Re-derive the find-my-workspace index (hashed emails → tenants) from every tenant's "
        "users: after a SECRET_KEY rotation (the hashes are keyed with it), or a restore made "
        "outside the kit."
    )

    def handle(self, *args, **options):
        tenants = Tenant.objects.exclude(schema_name="public").exclude(
            status=Tenant.Status.PROVISIONING
        )
        total = 0
        for tenant in tenants.iterator():
            with schema_context(tenant.schema_name):
                emails = list(
                    get_user_model().objects.filter(is_active=True)
                    .exclude(email="").values_list("email", flat=True)
                )  # fmt: skip
            with transaction.atomic():
                AccountIndex.objects.filter(tenant=tenant).delete()
                for email in emails:
                    account_index_add(tenant=tenant, email=email)
            total += len(emails)
        self.stdout.write(self.style.SUCCESS(f"{total} accounts indexed."))
