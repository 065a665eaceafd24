"""Synthetic migrations for fleet tests: a copy of core_app's migrations plus extra ones, in a
temporary package the tests point MIGRATION_MODULES at (in-process, or through the environment
for a real `manage.py` process)."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

ADD_PROBE_TABLE = """
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core_app", "{previous}")]
    operations = [
        migrations.CreateModel(
            name="FleetProbe",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("label", models.CharField(max_length=40, default="")),
            ],
        ),
        migrations.AddField(
            model_name="project", name="probe_note", field=models.TextField(null=True)
        ),
        {extra}
    ]
"""


def _latest_core_app_migration() -> str:
    names = sorted(p.stem for p in (ROOT / "core_app" / "migrations").glob("0*.py"))
    return names[-1]


@contextmanager
def synthetic_migrations(*, extra_operation: str = "") -> Iterator[tuple[str, Path]]:
    """Yield (module name, sys.path entry) of core_app's migrations + `0999_fleet_probe`."""
    base = Path(tempfile.mkdtemp(prefix="awan-fleet-"))
    package = base / "fleet_probe_migrations"
    shutil.copytree(ROOT / "core_app" / "migrations", package)
    for cached in package.glob("__pycache__"):
        shutil.rmtree(cached)
    (package / "0999_fleet_probe.py").write_text(
        ADD_PROBE_TABLE.format(previous=_latest_core_app_migration(), extra=extra_operation)
    )
    try:
        yield "fleet_probe_migrations", base
    finally:
        shutil.rmtree(base, ignore_errors=True)


def env_for(module: str, path: Path) -> dict[str, str]:
    return {
        "AWAN_TEST_MIGRATION_MODULES": json.dumps({"core_app": module}),
        "AWAN_TEST_MIGRATION_PATH": str(path),
    }


def clear_plan_caches() -> None:
    from tenants.fleet import plans

    plans._loader.cache_clear()
    plans.target_fingerprint.cache_clear()
    plans.content_types_and_permissions_sql.cache_clear()


def has_probe(schema: str) -> tuple[bool, bool]:
    """(the probe table exists, the probe migration is recorded) in `schema`."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [f'"{schema}".core_app_fleetprobe'])
        table = cursor.fetchone()[0] is not None
        cursor.execute(
            f'SELECT count(*) FROM "{schema}".django_migrations '
            "WHERE app = 'core_app' AND name = '0999_fleet_probe'"
        )
        recorded = cursor.fetchone()[0] == 1
    return table, recorded
