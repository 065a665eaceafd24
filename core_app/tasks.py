from celery import shared_task

from core_app.models import Export
from core_app.services import export_build
from tenants.celery import TenantTask


@shared_task(base=TenantTask)
def project_export_build(*, schema_name: str, export_id: int) -> None:
    """Build one export inside `schema_name`. Idempotent: a finished export is left alone."""
    export = Export.objects.select_related("project").filter(pk=export_id).first()
    if export is None or export.status == Export.Status.DONE:
        return
    export_build(export=export)
