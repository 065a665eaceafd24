from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.forms import SignupForm
from tenants.services import SubdomainTaken, tenant_provision_complete, tenant_signup


class Command(BaseCommand):
    help = "Create a tenant with its owner, through the same rules and service as the signup page."

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--name", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--password", required=True)

    def handle(self, *args, **options):
        form = SignupForm(
            {
                "organization_name": options["name"],
                "subdomain": options["subdomain"],
                "email": options["owner_email"],
                "password": options["password"],
            }
        )
        if not form.is_valid():
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        data = form.cleaned_data
        try:
            result = tenant_signup(
                name=data["organization_name"],
                subdomain=data["subdomain"],
                owner_email=data["email"],
                password=data["password"],
            )
        except (SubdomainTaken, ValidationError) as exc:
            raise CommandError(str(getattr(exc, "message", exc))) from exc
        if not result.ready:
            # No spare schema was waiting: a command may build one itself (a request never does).
            tenant_provision_complete(schema_name=result.tenant.schema_name)
        self.stdout.write(self.style.SUCCESS(f"created {result.tenant}"))
