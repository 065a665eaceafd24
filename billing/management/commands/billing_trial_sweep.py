from django.core.management.base import BaseCommand

from billing.trials import trial_sweep


class Command(BaseCommand):
    help = "Run the trial sweep now (beat runs it hourly): queue reminders, expire ended trials."

    def handle(self, *args, **options):
        result = trial_sweep()
        self.stdout.write(
            f"reminders queued: {len(result.reminders)}, trials expired: {len(result.expired)}"
        )
