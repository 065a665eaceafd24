""" "Export all my data": the worker writes every table of the tenant's schema into one zip,
as JSON (one file per table, exactly the rows) and CSV (formula-safe, for a spreadsheet), with
progress on the page. Only the workspace's owners and admins can download it, until it expires.

Secrets stay out: password hashes, API key hashes, webhook signing secrets, invitation tokens,
session data and earlier exports are not written.
"""

from __future__ import annotations

import io
import json
import logging
import zipfile
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, router, transaction
from django.db.models import Model
from django.utils import timezone

from tenants import errors
from tenants.db import current_schema_name, current_tenant
from tenants.roles import Perm, user_can
from tenants.spreadsheet import csv_writer
from tenants.workspace.models import DataExport

logger = logging.getLogger(__name__)

EXPIRES_AFTER = timedelta(days=1)
KEPT = 3
# An export still unfinished this long after it was asked for has lost its worker for good (a
# worker killed mid-build hands the task back and it is built again well within this): a new
# request replaces it instead of waiting on it forever.
STALE_AFTER = timedelta(hours=2)
FAILED_STEP = "Something went wrong while building it. Start a new export."
STALE_STEP = "It stopped before it finished. Start a new export."
# Never in an export: credentials and secrets, sessions, and exports themselves.
LEFT_OUT_FIELDS = {
    ("auth", "user"): {"password"},
    ("workspace", "apikey"): {"key_hash"},
    ("workspace", "webhookendpoint"): {"secret"},
    ("workspace", "invitation"): {"token_hash"},
}
LEFT_OUT_MODELS = {("sessions", "session"), ("workspace", "dataexport"), ("admin", "logentry")}


def export_request(*, actor: AbstractBaseUser) -> DataExport:
    """Queue an export (or return the one already on its way)."""
    from tenants.workspace.tasks import data_export_build

    if not user_can(actor, Perm.EXPORT_DATA):
        raise PermissionError(errors.ADMINS_ONLY)
    with transaction.atomic():
        running = DataExport.objects.select_for_update().filter(
            status__in=[DataExport.Status.PENDING, DataExport.Status.BUILDING]
        )
        running.filter(created__lt=timezone.now() - STALE_AFTER).update(
            status=DataExport.Status.FAILED, step=STALE_STEP, finished_at=timezone.now()
        )
        existing = running.first()
        if existing is not None:
            return existing
        export = DataExport.objects.create(requested_by_id=actor.pk)
        schema_name = current_schema_name()
        transaction.on_commit(
            lambda: data_export_build.delay(schema_name=schema_name, export_id=export.pk)
        )
    return export


def tenant_models() -> list[type[Model]]:
    """Every model whose table is in a tenant schema, in a stable order."""
    found = []
    for model in apps.get_models():
        label = (model._meta.app_label, model._meta.model_name)
        if label in LEFT_OUT_MODELS or not model._meta.managed or model._meta.proxy:
            continue
        if router.allow_migrate_model(connection.alias, model):
            found.append(model)
    return sorted(found, key=lambda m: m._meta.db_table)


def _rows(model: type[Model]) -> tuple[list[str], list[dict[str, Any]]]:
    left_out = LEFT_OUT_FIELDS.get((model._meta.app_label, str(model._meta.model_name)), set())
    fields = [f.attname for f in model._meta.concrete_fields if f.name not in left_out]
    return fields, list(model._default_manager.order_by("pk").values(*fields))


def _set_progress(export: DataExport, progress: int, step: str, **more: Any) -> None:
    DataExport.objects.filter(pk=export.pk).update(progress=progress, step=step, **more)


def export_build(*, export_id: int) -> DataExport | None:
    """Build the zip (inside the tenant's schema). Idempotent: a finished export is left.

    A build that breaks is marked failed (the page says so and offers a new one) instead of
    staying "building" and blocking every later request."""
    export = DataExport.objects.filter(pk=export_id).first()
    if export is None or export.status in (DataExport.Status.READY, DataExport.Status.FAILED):
        return export
    try:
        _build(export)
    except Exception:
        logger.exception("data export %s of %s failed", export.pk, current_schema_name())
        DataExport.objects.filter(pk=export.pk).update(
            status=DataExport.Status.FAILED, step=FAILED_STEP, finished_at=timezone.now()
        )
    return DataExport.objects.get(pk=export.pk)


def _build(export: DataExport) -> None:
    models = tenant_models()
    buffer = io.BytesIO()
    manifest: dict[str, Any] = {
        "workspace": current_tenant().name,
        "schema": current_schema_name(),
        "exported_at": timezone.now().isoformat(),
        "tables": {},
    }
    _set_progress(export, 0, "starting", status=DataExport.Status.BUILDING)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, model in enumerate(models, start=1):
            table = model._meta.db_table
            fields, rows = _rows(model)
            archive.writestr(
                f"json/{table}.json", json.dumps(rows, cls=DjangoJSONEncoder, indent=1)
            )
            text = io.StringIO()
            writer = csv_writer(text)
            writer.writerow(fields)
            writer.writerows([row[f] for f in fields] for row in rows)
            archive.writestr(f"csv/{table}.csv", text.getvalue())
            manifest["tables"][table] = {"rows": len(rows), "columns": fields}
            _set_progress(export, int(95 * number / len(models)), f"{table}: {len(rows)} rows")
        archive.writestr("manifest.json", json.dumps(manifest, indent=1))
    content = buffer.getvalue()
    now = timezone.now()
    stamp = now.strftime("%Y%m%d-%H%M")
    DataExport.objects.filter(pk=export.pk).update(
        status=DataExport.Status.READY,
        progress=100,
        step="ready",
        content=content,
        size=len(content),
        filename=f"{current_tenant().subdomain}-export-{stamp}.zip",
        finished_at=now,
        expires_at=now + EXPIRES_AFTER,
    )
    old = DataExport.objects.order_by("-created").values_list("pk", flat=True)[KEPT:]
    DataExport.objects.filter(pk__in=list(old)).delete()


def export_downloadable(*, export_id: int) -> DataExport | None:
    return DataExport.objects.filter(
        pk=export_id, status=DataExport.Status.READY, expires_at__gt=timezone.now()
    ).first()
