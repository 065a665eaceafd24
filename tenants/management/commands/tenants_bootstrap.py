import os

from django.core.management.base import BaseCommand
from django.db import transaction

from billing.services import plan_sync_from_settings
from tenants import conf
from tenants.selectors import tenant_for_schema
from tenants.services import tenant_public_ensure, tenant_signup
from tenants.validators import schema_name_for

DEMO_SUBDOMAIN = "demo"
DEMO_EMAIL = "owner@demo.example"
DEMO_PASSWORD = "awan-demo-password"


class Command(BaseCommand):
    help = (
        "Create the public tenant (idempotent); with --demo also a demo tenant with a known login."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also create the demo tenant")

    def handle(self, *args, demo: bool = False, **options):
        with transaction.atomic():
            tenant_public_ensure()
            plan_sync_from_settings()
        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"public site:  http://{conf.base_domain()}:{port}/")
        if not demo:
            return
        if tenant_for_schema(schema_name=schema_name_for(DEMO_SUBDOMAIN)) is None:
            tenant_signup(
                name="Demo Co",
                subdomain=DEMO_SUBDOMAIN,
                owner_email=DEMO_EMAIL,
                password=DEMO_PASSWORD,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"demo tenant:  http://{DEMO_SUBDOMAIN}.{conf.base_domain()}:{port}/  "
                f"login {DEMO_EMAIL} / {DEMO_PASSWORD}"
            )
        )
