import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tenants.archive import export_build, export_downloaded, export_file, export_progress
from tenants.audit import actor_cli
from tenants.lifecycle import tenant_export_request
from tenants.management.commands._lifecycle import run, tenant_arg
from tenants.models import TenantExport
from tenants.routing import public_url


class Command(BaseCommand):
    help = (
        "Export a tenant's whole schema (JSON of every table, plus pg_dump SQL where the binary "
        "exists). The worker builds it (--inline: this process); the command waits, then saves "
        "the zip to --output and prints its path and the console's download URL."
    )

    def add_arguments(self, parser):
        parser.add_argument("subdomain")
        parser.add_argument("--reason", default="")
        parser.add_argument("--output", default="", help="file or folder (default: here)")
        parser.add_argument("--inline", action="store_true", help="build here, no worker")
        parser.add_argument("--timeout", type=int, default=3600, help="seconds to wait")

    def handle(self, *args, subdomain, reason, output, inline, timeout, **options):
        actor = actor_cli()
        export = run(
            tenant_export_request, tenant=tenant_arg(subdomain), actor=actor, reason=reason
        )
        if inline:
            export_build(export_id=export.pk)
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            export.refresh_from_db()
            if export.status in (TenantExport.Status.READY, TenantExport.Status.FAILED):
                break
            progress, step = export_progress(export)
            line = f"{progress:3d}% {step}"
            if line != last:
                self.stdout.write(line)
                last = line
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Export {export.pk} isn't ready after {timeout} s: is a worker running? "
                    "(It stays queued; watch it in the console, or re-run with --inline.)"
                )
            time.sleep(0.5)
        if export.status == TenantExport.Status.FAILED:
            raise CommandError(f"Export {export.pk} failed: {export.error}")
        target = Path(output or ".")
        if target.is_dir():
            target = target / export.filename
        with export_file(export) as built:
            target.write_bytes(built.read_bytes())
        export_downloaded(export=export, actor=actor)
        url = public_url(path=f"/console/exports/{export.pk}/download/")
        self.stdout.write(self.style.SUCCESS(f"{target.resolve()}"))
        until = f" until {export.expires_at:%Y-%m-%d}" if export.expires_at else ""
        self.stdout.write(
            f"{export.size} bytes, sha256 {export.sha256}, "
            f"{'with' if export.has_pg_dump else 'without'} pg_dump; also at {url}{until}"
        )
