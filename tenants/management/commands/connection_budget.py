from django.core.management.base import BaseCommand, CommandError

from config.checks import connection_budget


class Command(BaseCommand):
    help = "Show how many database connections the process formation needs versus the limit."

    def add_arguments(self, parser):
        parser.add_argument("--strict", action="store_true", help="exit 1 when over the limit")

    def handle(self, *args, strict: bool = False, **options):
        b = connection_budget()
        web = f"{b.web_dynos} dynos x {b.web_concurrency} workers x {b.web_threads} threads"
        self.stdout.write(f"web     {web} = {b.web}")
        self.stdout.write(
            f"worker  {b.worker_dynos} dynos x {b.worker_concurrency} processes = {b.worker}"
        )
        self.stdout.write("beat + release/one-off = 2")
        limit = "unknown (set DATABASE_CONNECTION_LIMIT)" if b.limit is None else str(b.limit)
        self.stdout.write(f"needed  {b.needed} of {limit}")
        if b.over:
            message = f"over budget: {b.needed} connections needed, the database allows {b.limit}"
            if strict:
                raise CommandError(message)
            self.stdout.write(self.style.WARNING(message))
        else:
            self.stdout.write(self.style.SUCCESS("within budget" if b.limit else "no limit set"))
