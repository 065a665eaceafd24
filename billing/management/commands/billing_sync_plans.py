from django.core.management.base import BaseCommand

from billing.services import plan_sync_from_settings


class Command(BaseCommand):
    help = "Make the Plan table match settings.BILLING_PLANS (idempotent; run on every deploy)."

    def handle(self, *args, **options):
        for plan in plan_sync_from_settings():
            price = plan.stripe_price_id or "no Stripe price yet"
            self.stdout.write(f"plan {plan.key}: {plan.name} ${plan.monthly_price}/mo ({price})")
