from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """A workspace's own platform features, in each tenant's schema: roles, invitations, API
    keys, outgoing webhooks, usage and the full data export."""

    name = "tenants.workspace"
    label = "workspace"
    verbose_name = "Workspace"
    default_auto_field = "django.db.models.BigAutoField"
