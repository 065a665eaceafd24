from django.core.management.base import BaseCommand, CommandError

from billing import conf
from billing.services import subscriptions_reconcile


class Command(BaseCommand):
    help = "Re-sync every subscription from Stripe's list API (for when webhooks were missed)."

    def handle(self, *args, **options):
        if not conf.stripe_enabled():
            raise CommandError("STRIPE_SECRET_KEY is not set; nothing to reconcile against.")
        self.stdout.write(f"reconciled {subscriptions_reconcile()} subscriptions")
