from django.core.management.base import BaseCommand, CommandError

from tenants.channels import ChannelPinned, channel_pin, channel_set
from tenants.models import Tenant


class Command(BaseCommand):
    help = "Move a tenant to the beta or stable channel (recorded in its channel history)."

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("channel", choices=Tenant.Channel.values)
        parser.add_argument("--reason", default="")
        parser.add_argument("--pin", action="store_true", help="pin to stable (owner can't opt in)")
        parser.add_argument("--unpin", action="store_true", help="lift a pin first")

    def handle(self, *args, subdomain, channel, reason, pin, unpin, **options):
        tenant = Tenant.objects.filter(subdomain=subdomain).exclude(schema_name="public").first()
        if tenant is None:
            raise CommandError(f"No tenant with subdomain {subdomain!r}.")
        if pin and channel == Tenant.Channel.BETA:
            raise CommandError("--pin keeps a tenant on stable; it can't go with 'beta'.")
        actor = "command:set_channel"
        if unpin:
            channel_pin(tenant=tenant, pinned=False, actor=actor, reason=reason)
        try:
            channel_set(tenant=tenant, channel=channel, actor=actor, reason=reason)
        except ChannelPinned as exc:
            raise CommandError(f"{subdomain} is pinned to stable; add --unpin to move it.") from exc
        if pin:
            channel_pin(tenant=tenant, pinned=True, actor=actor, reason=reason)
        pinned = " (pinned)" if tenant.channel_pinned else ""
        self.stdout.write(self.style.SUCCESS(f"{subdomain} is on {tenant.channel}{pinned}"))
