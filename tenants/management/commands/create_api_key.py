from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import tenant_context

from tenants.models import Tenant
from tenants.workspace.apikeys import apikey_create


class Command(BaseCommand):
    help = (
        "Mint an API key for a workspace, acting as one of its owners or admins, and print it "
        "(it is shown only this once)."
    )

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("email", help="an owner or admin of that workspace")
        parser.add_argument("--name", default="made on the command line")
        parser.add_argument("--scope", choices=["read", "write"], default="read")
        parser.add_argument("--expires-in-days", type=int, default=None)

    def handle(self, *args, subdomain, email, name, scope, expires_in_days, **options):
        tenant = Tenant.objects.filter(subdomain=subdomain).exclude(schema_name="public").first()
        if tenant is None:
            raise CommandError(f"No workspace with subdomain {subdomain!r}.")
        with tenant_context(tenant):
            user = get_user_model().objects.filter(email=email.lower(), is_active=True).first()
            if user is None:
                raise CommandError(f"{email} is not a member of {subdomain}.")
            try:
                _key, raw = apikey_create(
                    name=name, scope=scope, actor=user, expires_in_days=expires_in_days
                )
            except PermissionError as exc:
                raise CommandError(f"{email} can't make API keys: {exc}") from exc
        self.stdout.write(raw)
