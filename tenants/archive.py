"""A tenant's whole schema as one file, and back: the operators' export and restore.

The archive is a zip:

    manifest.json          format, the tenant (name, subdomain, channel), the migrations its
                           schema had, and each table's columns and row count
    data/<table>.jsonl     every row of every table (first line: the column names), secrets
                           included: it is a backup, downloadable by operators only
    schema.sql             `pg_dump --schema` of the schema, where a pg_dump binary matching
                           the server exists: for a DBA, and for restoring outside the kit

A restore reads `data/` only (the inverse of the export, into a new tenant with a new
subdomain and schema), so it works wherever the kit runs, binary or not. It runs in one
transaction: a failed restore leaves no tenant, no schema and no rows behind.

The worker builds exports (tenants.tasks.tenant_export_build); the archive is stored in the
database in 1 MiB chunks, so whichever web dyno gets the download can stream it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.models import NOT_PROVIDED, BinaryField, Model
from django.utils import timezone
from django_tenants.utils import schema_context

from config import kv
from tenants import conf
from tenants.audit import audit_record
from tenants.models import AuditEntry, Tenant, TenantExport, TenantExportChunk

logger = logging.getLogger(__name__)

FORMAT = "awan-tenant-archive/1"
CHUNK_BYTES = 1024 * 1024
# Not worth keeping: sessions expire, and a workspace's own exports are copies of the rest.
LEFT_OUT = {("sessions", "session"), ("workspace", "dataexport")}


class RestoreRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ArchiveInvalid(RestoreRefused):
    """The file isn't an export this version can read."""


# --- what is in a tenant schema -------------------------------------------------------------
def tenant_models() -> list[type[Model]]:
    """Every model with a table in tenant schemas (many-to-many tables included), by table:
    the apps in TENANT_APPS, whichever schema the connection is on."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        label = (model._meta.app_label, model._meta.model_name)
        if label in LEFT_OUT or not model._meta.managed or model._meta.proxy:
            continue
        if _in_tenant_apps(model):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def _in_tenant_apps(model: type[Model]) -> bool:
    app = apps.get_app_config(model._meta.app_label).name
    return app in settings.TENANT_APPS


def _columns(model: type[Model]) -> list[str]:
    return [str(f.column) for f in model._meta.concrete_fields]


# --- export -------------------------------------------------------------------------------
def _progress_key(export_id: int) -> str:
    return f"awan:tenant-export:{export_id}"


def export_progress(export: TenantExport) -> tuple[int, str]:
    """(percent, step) of an export: live from Redis while the worker builds it."""
    if export.status != TenantExport.Status.BUILDING:
        return export.progress, export.step
    value = kv.client().get(_progress_key(export.pk))
    if not value:
        return export.progress, export.step
    data = json.loads(value)
    return int(data["progress"]), str(data["step"])


def _progress(export: TenantExport, progress: int, step: str) -> None:
    kv.client().set(
        _progress_key(export.pk), json.dumps({"progress": progress, "step": step}), ex=6 * 3600
    )


class _Encoder(DjangoJSONEncoder):
    """Django's, with times to the microsecond (it cuts them to milliseconds) and bytes."""

    def default(self, o: Any) -> Any:
        if isinstance(o, bytes | memoryview):
            return {"$base64": base64.b64encode(bytes(o)).decode()}
        if isinstance(o, datetime | time):
            return o.isoformat()
        return super().default(o)


def _migrations_applied() -> list[list[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[app, name] for app, name in cursor.fetchall()]


def _write_tables(archive: zipfile.ZipFile, export: TenantExport) -> dict[str, Any]:
    """Every table's rows, read in one REPEATABLE READ transaction: one consistent moment."""
    tables: dict[str, Any] = {}
    models = tenant_models()
    outermost = not connection.in_atomic_block  # else: the caller's transaction's snapshot
    with transaction.atomic():
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        migrations = _migrations_applied()
        for number, model in enumerate(models, start=1):
            table = model._meta.db_table
            columns = _columns(model)
            count = 0
            with archive.open(f"data/{table}.jsonl", "w") as out:
                out.write((json.dumps(columns) + "\n").encode())
                with connection.cursor() as cursor:
                    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
                    cursor.execute(
                        f"SELECT {quoted} FROM {connection.ops.quote_name(table)} ORDER BY 1"
                    )
                    while batch := cursor.fetchmany(2000):
                        for row in batch:
                            out.write((json.dumps(list(row), cls=_Encoder) + "\n").encode())
                        count += len(batch)
            tables[table] = {"columns": columns, "rows": count}
            _progress(export, int(80 * number / len(models)), f"{table}: {count} rows")
    return {"tables": tables, "migrations": migrations}


def pg_dump_candidates() -> list[str]:
    """pg_dump binaries to try, in order: PG_DUMP (a path), the one on PATH, the embedded
    server's. The first that can dump this server's version wins."""
    found = [getattr(settings, "PG_DUMP", "") or os.environ.get("PG_DUMP", "")]
    found.append(shutil.which("pg_dump") or "")
    try:
        import pgserver  # type: ignore[import-untyped]

        found.append(str(Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"))
    except ImportError:
        pass
    return [path for path in dict.fromkeys(found) if path and Path(path).is_file()]


def _direct_database() -> dict[str, Any]:
    """pg_dump needs a session of its own for its snapshot: the direct connection, never a
    transaction-mode pooler."""
    import dj_database_url

    if getattr(settings, "DATABASE_POOLED", False) and getattr(settings, "DATABASE_URL", ""):
        return dict(dj_database_url.parse(settings.DATABASE_URL))
    return dict(connection.settings_dict)


def pg_dump_schema(*, schema_name: str, out: IO[bytes]) -> tuple[bool, str]:
    """Write `pg_dump --schema` of one schema to `out`. (True, binary) or (False, why not)."""
    db = _direct_database()
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host", "")
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["--schema", schema_name, "--no-owner", "--no-privileges", "--format", "plain"]
    args += ["--dbname", str(db["NAME"]), "--username", str(db.get("USER") or "postgres")]
    if host:
        args += ["--host", str(host)]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    reasons = []
    for binary in pg_dump_candidates():
        with tempfile.TemporaryFile() as dump:
            done = subprocess.run(
                [binary, *args], stdout=dump, stderr=subprocess.PIPE, env=env, timeout=3600
            )
            if done.returncode == 0:
                dump.seek(0)
                shutil.copyfileobj(dump, out)
                return True, binary
        first = (done.stderr.decode(errors="replace").strip().splitlines() or ["failed"])[0]
        reasons.append(f"{binary}: {first}"[:140])
    return False, "; ".join(reasons) or "no pg_dump binary found"


def export_build(*, export_id: int) -> TenantExport | None:
    """Build an export (the worker's task). Idempotent: a ready export is left as it is; a
    re-run after a crash starts over."""
    export = TenantExport.objects.filter(pk=export_id).first()
    if export is None or export.status == TenantExport.Status.READY:
        return export
    tenant = export.tenant
    if tenant is None:
        TenantExport.objects.filter(pk=export.pk).update(
            status=TenantExport.Status.FAILED, error="The tenant no longer exists."
        )
        return TenantExport.objects.get(pk=export.pk)
    TenantExport.objects.filter(pk=export.pk).update(
        status=TenantExport.Status.BUILDING, progress=0, step="starting", error=""
    )
    export.status = TenantExport.Status.BUILDING
    _progress(export, 0, "starting")
    try:
        with tempfile.TemporaryFile() as file:
            with zipfile.ZipFile(file, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                with schema_context(tenant.schema_name):
                    contents = _write_tables(archive, export)
                _progress(export, 85, "pg_dump")
                with archive.open("schema.sql", "w") as sql:
                    has_dump, note = pg_dump_schema(schema_name=tenant.schema_name, out=sql)
                if not has_dump:
                    # An empty schema.sql would mislead; the zip format can't delete, so say so.
                    with archive.open("schema.sql.txt", "w") as why:
                        why.write(f"No pg_dump: {note}\n".encode())
                manifest = {
                    "format": FORMAT,
                    "exported_at": timezone.now().isoformat(),
                    "tenant": {
                        "name": tenant.name,
                        "subdomain": tenant.subdomain,
                        "schema": tenant.schema_name,
                        "channel": tenant.channel,
                        "created": tenant.created.isoformat(),
                    },
                    "pg_dump": note if has_dump else None,
                    **contents,
                }
                archive.writestr("manifest.json", json.dumps(manifest, indent=1))
            _progress(export, 90, "storing")
            size, digest = _store(export, file)
    except Exception as exc:
        logger.exception("tenant export failed export=%s", export.pk)
        TenantExport.objects.filter(pk=export.pk).update(
            status=TenantExport.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    now = timezone.now()
    retention = timedelta(days=conf.export_retention_days())
    expires = None if export.is_final else now + retention
    TenantExport.objects.filter(pk=export.pk).update(
        status=TenantExport.Status.READY,
        progress=100,
        step="ready",
        has_pg_dump=has_dump,
        pg_dump_note=(note if has_dump else f"JSON only: {note}")[:300],
        size=size,
        sha256=digest,
        finished_at=now,
        expires_at=expires,
    )
    kv.client().delete(_progress_key(export.pk))
    logger.info(
        "tenant export ready export=%s schema=%s bytes=%d pg_dump=%s",
        export.pk,
        tenant.schema_name,
        size,
        has_dump,
    )
    return TenantExport.objects.get(pk=export.pk)


def _store(export: TenantExport, file: IO[bytes]) -> tuple[int, str]:
    file.seek(0)
    digest = hashlib.sha256()
    size = 0
    with transaction.atomic():
        TenantExportChunk.objects.filter(export=export).delete()
        seq = 0
        while data := file.read(CHUNK_BYTES):
            TenantExportChunk.objects.create(export=export, seq=seq, data=data)
            digest.update(data)
            size += len(data)
            seq += 1
    return size, digest.hexdigest()


def export_chunks(export: TenantExport) -> Iterator[bytes]:
    """The archive's bytes, a chunk at a time (one query per chunk: memory stays flat)."""
    ids = list(export.chunks.order_by("seq").values_list("pk", flat=True))
    for pk in ids:
        yield bytes(TenantExportChunk.objects.values_list("data", flat=True).get(pk=pk))


@contextmanager
def export_file(export: TenantExport) -> Iterator[Path]:
    """A stored export as a local file (for a restore, or the command that saves it)."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / export.filename
        with path.open("wb") as out:
            for chunk in export_chunks(export):
                out.write(chunk)
        yield path


def export_downloaded(*, export: TenantExport, actor: str) -> None:
    tenant = Tenant(pk=export.tenant_id, subdomain=export.tenant_subdomain)
    audit_record(
        tenant=tenant,
        action=AuditEntry.Action.EXPORT_DOWNLOAD,
        actor=actor,
        export_id=export.pk,
    )


# --- restore ------------------------------------------------------------------------------
@dataclass
class RestoreResult:
    tenant: Tenant
    rows: int = 0
    tables: int = 0
    notes: list[str] = field(default_factory=list)


def _manifest(archive: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except (KeyError, ValueError) as exc:
        raise ArchiveInvalid(
            "This file is not a tenant export: it has no readable manifest.json."
        ) from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveInvalid(
            f"Unknown archive format {manifest.get('format')!r}: expected {FORMAT!r}."
        )
    return manifest


def _check_migrations(manifest: dict[str, Any]) -> None:
    """An archive from a newer version of the code can't go into this one's tables."""
    from django.db.migrations.loader import MigrationLoader

    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    recorded = manifest.get("migrations", [])
    unknown = [f"{app}.{name}" for app, name in recorded if (app, name) not in known]
    if unknown:
        raise ArchiveInvalid(
            "This export was made by a newer version of the app (it has migrations this code "
            f"doesn't: {', '.join(unknown[:5])}). Restore it with that version."
        )


def _decode(model_field: Any, value: Any) -> Any:
    if (
        isinstance(value, dict)
        and set(value) == {"$base64"}
        and isinstance(model_field, BinaryField)
    ):
        return base64.b64decode(value["$base64"])
    return value


def _load_table(archive: zipfile.ZipFile, model: type[Model], name: str) -> tuple[int, list[str]]:
    notes: list[str] = []
    fields = {f.column: f for f in model._meta.concrete_fields}
    with archive.open(name) as lines:
        header = json.loads(lines.readline())
        if not isinstance(header, list):
            raise ArchiveInvalid(f"{name}: the first line must list the columns.")
        kept = [c for c in header if c in fields]
        dropped = [c for c in header if c not in fields]
        if dropped:
            lacking = ", ".join(dropped)
            notes.append(f"{model._meta.db_table}: left out columns this version lacks: {lacking}")
        missing = [f for c, f in fields.items() if c not in header]
        for f in missing:
            if not (f.has_default() or f.null or f.db_default is not NOT_PROVIDED):
                raise ArchiveInvalid(
                    f"{model._meta.db_table}.{f.column} is required in this version and the "
                    "export doesn't have it."
                )
        columns = kept + [f.column for f in missing]
        positions = [header.index(c) for c in kept]
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            connection.ops.quote_name(model._meta.db_table),
            ", ".join(connection.ops.quote_name(c) for c in columns),
            ", ".join(["%s"] * len(columns)),
        )
        count = 0
        batch: list[list[Any]] = []
        with connection.cursor() as cursor:
            for number, raw in enumerate(lines, start=2):
                try:
                    row = json.loads(raw)
                except ValueError as exc:
                    raise ArchiveInvalid(f"{name} line {number}: not JSON ({exc}).") from exc
                if not isinstance(row, list) or len(row) != len(header):
                    raise ArchiveInvalid(
                        f"{name} line {number}: expected {len(header)} values, one per column."
                    )
                params = []
                for column, position in zip(kept, positions, strict=True):
                    f = fields[column]
                    params.append(f.get_db_prep_save(_decode(f, row[position]), connection))
                for f in missing:
                    default = None if f.null and not f.has_default() else f.get_default()
                    params.append(f.get_db_prep_save(default, connection))
                batch.append(params)
                if len(batch) >= 1000:
                    cursor.executemany(sql, batch)
                    count += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                count += len(batch)
    return count, notes


def tenant_restore(
    *, archive_path: Path | str, subdomain: str, actor: str, name: str = ""
) -> RestoreResult:
    """A new tenant (new subdomain, new schema) holding exactly the archive's rows. Users keep
    their passwords; the workspace starts a fresh trial (its old Stripe subscription ended with
    it). All or nothing."""
    from billing.services import subscription_start_trial
    from tenants.directory import account_index_add
    from tenants.fleet.pool import pool_claim
    from tenants.provisioning import schema_build
    from tenants.services import _tenant_rows
    from tenants.validators import validate_subdomain_format, validate_subdomain_not_reserved

    try:
        opened = zipfile.ZipFile(archive_path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise ArchiveInvalid(f"Can't open {archive_path} as a zip file: {exc}") from exc
    with opened as archive:
        manifest = _manifest(archive)
        _check_migrations(manifest)
        try:
            validate_subdomain_format(subdomain)
            validate_subdomain_not_reserved(subdomain)
        except ValidationError as exc:
            raise RestoreRefused(f"{subdomain!r}: {exc.messages[0]}") from exc
        models = {m._meta.db_table: m for m in tenant_models()}
        source = manifest.get("tenant", {})
        with transaction.atomic():
            title = (name or source.get("name") or subdomain)[:100]
            tenant = _tenant_rows(name=title, subdomain=subdomain)
            if not pool_claim(schema_name=tenant.schema_name):
                schema_build(schema_name=tenant.schema_name)
            result = RestoreResult(tenant=tenant)
            with schema_context(tenant.schema_name):
                with connection.cursor() as cursor:
                    # Rows go in table by table, in any order: the foreign keys are checked
                    # once, at commit (Django's are DEFERRABLE).
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    cursor.execute(
                        "TRUNCATE {} RESTART IDENTITY CASCADE".format(
                            ", ".join(connection.ops.quote_name(t) for t in models)
                        )
                    )
                for table in manifest.get("tables", {}):
                    model = models.get(table)
                    if model is None:
                        result.notes.append(f"{table}: not a table in this version, left out")
                        continue
                    try:
                        with transaction.atomic():
                            count, notes = _load_table(archive, model, f"data/{table}.jsonl")
                    except DatabaseError as exc:
                        first = str(exc).strip().splitlines()[0]
                        raise ArchiveInvalid(
                            f"{table}: the database refused a row ({first})."
                        ) from exc
                    except KeyError as exc:
                        raise ArchiveInvalid(
                            f"The archive lists {table} but lacks its data."
                        ) from exc
                    result.rows += count
                    result.tables += 1
                    result.notes += notes
                with connection.cursor() as cursor:
                    for statement in connection.ops.sequence_reset_sql(
                        no_style(), list(models.values())
                    ):
                        cursor.execute(statement)
                _permissions_complete()
                from django.contrib.auth import get_user_model

                emails = list(
                    get_user_model().objects.exclude(email="").values_list("email", flat=True)
                )
            for email in emails:
                account_index_add(tenant=tenant, email=email)
            channel = source.get("channel")
            Tenant.objects.filter(pk=tenant.pk).update(
                status=Tenant.Status.ACTIVE,
                channel=channel if channel in Tenant.Channel.values else Tenant.Channel.STABLE,
            )
            tenant.refresh_from_db()
            subscription_start_trial(tenant=tenant)
            audit_record(
                tenant=tenant,
                action=AuditEntry.Action.RESTORE,
                actor=actor,
                source_subdomain=source.get("subdomain", ""),
                exported_at=manifest.get("exported_at", ""),
                rows=result.rows,
            )
    logger.info(
        "tenant restored schema=%s from=%s rows=%d by %s",
        tenant.schema_name,
        source.get("subdomain"),
        result.rows,
        actor,
    )
    return result


def _permissions_complete() -> None:
    """Content types and permissions of models the archive's version didn't have yet."""
    from django.contrib.auth.management import create_permissions
    from django.contrib.contenttypes.management import create_contenttypes
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()
    for config in apps.get_app_configs():
        create_contenttypes(config, verbosity=0)
        create_permissions(config, verbosity=0)
    ContentType.objects.clear_cache()


# --- restores the worker runs, watched from the console ------------------------------------
def _restore_key(job: str) -> str:
    return f"awan:tenant-restore:{job}"


def restore_request(*, export: TenantExport, subdomain: str, name: str, actor: str) -> str:
    """Queue a restore of a stored export; returns the job id the console watches."""
    import secrets

    from tenants.tasks import tenant_restore_from_export

    job = secrets.token_urlsafe(12)
    _restore_set(job, state="queued", message="Waiting for a worker", subdomain=subdomain)
    transaction.on_commit(
        lambda: tenant_restore_from_export.delay(
            job=job, export_id=export.pk, subdomain=subdomain, name=name, actor=actor
        )
    )
    return job


def _restore_set(job: str, **state: str) -> None:
    kv.client().set(_restore_key(job), json.dumps(state), ex=24 * 3600)


def restore_state(*, job: str) -> dict[str, str] | None:
    value = kv.client().get(_restore_key(job))
    return json.loads(value) if value else None


def restore_run(*, job: str, export_id: int, subdomain: str, name: str, actor: str) -> None:
    """The worker's half: restore, and say how it went (a refusal is an answer, not an error)."""
    from tenants.services import SubdomainTaken

    export = TenantExport.objects.filter(pk=export_id, status=TenantExport.Status.READY).first()
    if export is None:
        _restore_set(job, state="failed", message="That export is gone.", subdomain=subdomain)
        return
    _restore_set(job, state="running", message="Restoring", subdomain=subdomain)
    try:
        with export_file(export) as path:
            result = tenant_restore(archive_path=path, subdomain=subdomain, name=name, actor=actor)
    except (RestoreRefused, SubdomainTaken) as exc:
        _restore_set(job, state="failed", message=exc.message, subdomain=subdomain)
        return
    except Exception as exc:
        _restore_set(
            job, state="failed", message=f"{type(exc).__name__}: {exc}", subdomain=subdomain
        )
        raise
    _restore_set(
        job,
        state="done",
        message=f"Restored {result.rows} rows from {export.filename} into {subdomain}.",
        subdomain=subdomain,
    )
