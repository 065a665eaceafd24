from django.core.management.base import BaseCommand
from django.db import transaction
from django_tenants.utils import tenant_context

from billing.services import plan_sync_from_settings
from tenants.routing import public_url, tenant_url
from tenants.selectors import tenant_for_schema
from tenants.services import tenant_provision_complete, tenant_public_ensure, tenant_signup
from tenants.validators import schema_name_for

DEMO_SUBDOMAIN = "demo"
DEMO_EMAIL = "owner@demo.example"
DEMO_PASSWORD = "awan-demo-password"
# A known operator login, for a laptop only (DEBUG): the console at /console/.
DEMO_OPERATOR = "operator"
DEMO_OPERATOR_PASSWORD = "awan-operator-password"

# A first look at the demo workspace shouldn't be an empty page.
DEMO_PROJECTS = [
    (
        "Website relaunch",
        "New landing page and pricing, live before the spring campaign.",
        [
            ("Write the new pricing copy", "Three plans; keep the trial message.", True),
            ("Pick the hero photo", "", True),
            ("Review on a phone", "Check the signup form at 390 px.", False),
            ("Ship it", "", False),
        ],
    ),
    (
        "Customer onboarding",
        "Make the first week with the product a good one.",
        [
            ("Draft the welcome email", "", True),
            ("Record a two-minute tour", "Screen capture of the dashboard.", False),
            ("Invite the first ten beta customers", "", False),
        ],
    ),
]


def demo_data_create() -> None:
    """Sample projects and tasks, inside the current (demo) schema."""
    from core_app.models import Project, Task
    from core_app.services import task_set_done

    for name, description, tasks in DEMO_PROJECTS:
        project = Project.objects.create(name=name, description=description)
        for title, notes, done in tasks:
            task = Task.objects.create(project=project, title=title, notes=notes)
            if done:
                task_set_done(task=task, done=True)


class Command(BaseCommand):
    help = (
        "Create the public tenant (idempotent); with --demo also a demo tenant with a known login "
        "and some sample projects."
    )

    def add_arguments(self, parser):
        parser.add_argument("--demo", action="store_true", help="also create the demo tenant")

    def handle(self, *args, demo: bool = False, **options):
        with transaction.atomic():
            tenant_public_ensure()
            plan_sync_from_settings()
        self.stdout.write(f"public site:  {public_url(path='/')}")
        self.stdout.write(f"operators:    {public_url(path='/console/')}")
        if not demo:
            return
        self._demo_operator()
        demo_tenant = tenant_for_schema(schema_name=schema_name_for(DEMO_SUBDOMAIN))
        if demo_tenant is None:
            result = tenant_signup(
                name="Demo Co",
                subdomain=DEMO_SUBDOMAIN,
                owner_email=DEMO_EMAIL,
                password=DEMO_PASSWORD,
            )
            demo_tenant = result.tenant
            if not result.ready:
                demo_tenant = tenant_provision_complete(schema_name=demo_tenant.schema_name)
                assert demo_tenant is not None
            with tenant_context(demo_tenant):
                demo_data_create()
        self.stdout.write(
            self.style.SUCCESS(
                f"demo tenant:  {tenant_url(tenant=demo_tenant, path='/')}  "
                f"login {DEMO_EMAIL} / {DEMO_PASSWORD}"
            )
        )

    def _demo_operator(self) -> None:
        """An operator with a known password, only where DEBUG is on (make run): never a
        deploy's. Without DEBUG, make one with `manage.py createsuperuser`."""
        from django.conf import settings
        from django.contrib.auth import get_user_model

        if not settings.DEBUG:
            self.stdout.write("demo operator: skipped (DEBUG is off); use createsuperuser")
            return
        users = get_user_model().objects
        if not users.filter(username=DEMO_OPERATOR).exists():
            users.create_superuser(DEMO_OPERATOR, "operator@demo.example", DEMO_OPERATOR_PASSWORD)
        self.stdout.write(
            self.style.SUCCESS(
                f"console:      {public_url(path='/console/')}  "
                f"login {DEMO_OPERATOR} / {DEMO_OPERATOR_PASSWORD}"
            )
        )
