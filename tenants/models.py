"""Tenancy lives in the public schema: who the tenants are, which hosts reach them, and the
one-time tokens that carry a fresh signup from the public host onto its tenant's host."""

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django_tenants.models import DomainMixin, TenantMixin

PUBLIC_SCHEMA = "public"


class PublicTenantProtected(Exception):
    message = "The public tenant runs the public site and can't be deleted or suspended."


class Tenant(TenantMixin):
    class Status(models.TextChoices):
        # Signed up while no pre-built schema was waiting: the worker is building it.
        PROVISIONING = "provisioning", "Provisioning"
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"
        # Deletion requested: read-only, a final export made, purged after the grace period.
        PENDING_DELETION = "pending_deletion", "Pending deletion"

    class Channel(models.TextChoices):
        STABLE = "stable", "Stable"
        BETA = "beta", "Beta"

    name = models.CharField(max_length=100)
    subdomain = models.SlugField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # Shown to the tenant's users on the "this workspace is suspended" page.
    status_reason = models.CharField(max_length=300, blank=True)
    # While pending deletion: when the worker purges it, and the status to go back to if the
    # deletion is cancelled (tenants.lifecycle).
    deletion_due_at = models.DateTimeField(null=True, blank=True)
    status_before_deletion = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    welcomed_at = models.DateTimeField(null=True, blank=True)
    # Release channel: beta tenants get pre-release features (tenants.flags).
    channel = models.CharField(
        max_length=10, choices=Channel.choices, default=Channel.STABLE, db_index=True
    )
    channel_pinned = models.BooleanField(
        default=False, help_text="Pinned to stable by an operator: the owner cannot opt in."
    )
    # Operator overrides per feature key: {"insights": true}. On the row the middleware already
    # loads, so asking a flag costs no query.
    feature_overrides = models.JSONField(default=dict, blank=True)

    # Provisioning is an explicit service call (tenants.provisioning), not a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"

    @property
    def is_public(self) -> bool:
        return self.schema_name == PUBLIC_SCHEMA

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED

    @property
    def is_pending_deletion(self) -> bool:
        return self.status == self.Status.PENDING_DELETION

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        """The public tenant carries the public site, the operators and every plan: deleting it
        would take the whole platform down, so no code path may."""
        if self.is_public:
            raise PublicTenantProtected()
        return super().delete(*args, **kwargs)


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]


class ChannelChange(models.Model):
    """History of a tenant's channel: who moved it, when, from what to what, and why."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="channel_changes")
    from_channel = models.CharField(max_length=10)
    to_channel = models.CharField(max_length=10)
    pinned = models.BooleanField(default=False)
    actor = models.CharField(max_length=200, help_text="e.g. owner:ana@acme.test, operator:root")
    reason = models.CharField(max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.tenant_id}: {self.from_channel} → {self.to_channel}"


class LoginHandoff(models.Model):
    """A signed, single-use, short-lived ticket: signup on the public host logs the owner in on
    the tenant's host. Sessions are per host and per schema, so no cookie could do it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    # Empty while the tenant is provisioning: the worker creates the owner, then fills it in.
    user_id = models.BigIntegerField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"handoff {self.id} for {self.tenant_id}"


class AccountIndex(models.Model):
    """(keyed hash of an email, tenant): the public index behind "find my workspace", kept by
    the services that add and remove users (tenants.directory)."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="account_index")
    email_digest = models.CharField(max_length=64, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["email_digest", "tenant"], name="tenants_one_index_row")
        ]

    def __str__(self) -> str:
        return f"{self.email_digest[:12]}… → {self.tenant_id}"


class SchemaState(models.Model):
    """What the fleet runner (tenants.fleet) last applied to a tenant schema: the index it
    reads in one query to find the schemas that need work. django_migrations in each schema
    stays the truth; the runner re-reads it before changing anything."""

    schema_name = models.CharField(max_length=63, primary_key=True)
    fingerprint = models.CharField(max_length=64, db_index=True)
    migrated_at = models.DateTimeField()
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.schema_name} @ {self.fingerprint[:12]}"


class SpareSchema(models.Model):
    """A pre-migrated, empty tenant schema waiting in the pool for a signup to claim it (and
    rename it) inside the signup's transaction. A row exists only once the schema is ready."""

    schema_name = models.CharField(max_length=63, primary_key=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return self.schema_name


class PendingOwner(models.Model):
    """The owner of a tenant that is still provisioning: kept (password already hashed) until
    the worker has built the schema and created the user in it, then deleted."""

    tenant = models.OneToOneField(Tenant, on_delete=models.CASCADE, related_name="pending_owner")
    email = models.CharField(max_length=150)
    password_hash = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"owner of {self.tenant_id}"


class RoutingVersion(models.Model):
    """One row whose `version` database triggers bump whenever a tenant, domain, subscription
    or plan changes, however it changed (services, the admin, raw SQL, the trial sweep). Each
    web process checks it once per request and throws its in-process routing table away when it
    moved (tenants.lookup)."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"routing v{self.version}"


class WebhookDue(models.Model):
    """Which tenants have outgoing webhook deliveries waiting for a retry, and from when: beat
    reads this public index instead of looking into every tenant's schema."""

    schema_name = models.CharField(max_length=63, primary_key=True)
    due_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.schema_name} due {self.due_at:%Y-%m-%d %H:%M}"


class TenantActivity(models.Model):
    """When a tenant's users were last seen. Its own table (not a column of the tenant, whose
    changes move the routing version), written at most once per tenant per few minutes
    (tenants.activity)."""

    tenant = models.OneToOneField(
        Tenant, on_delete=models.CASCADE, primary_key=True, related_name="activity"
    )
    last_seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.tenant_id} seen {self.last_seen_at:%Y-%m-%d %H:%M}"


class AuditEntry(models.Model):
    """Who did what to a tenant's life, when and why. Append-only: the database refuses to
    update or delete a row (a trigger), and rows outlive the tenant they are about, so the
    tenant is referenced without a foreign key constraint and named in the row."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", "Suspended"
        REACTIVATE = "reactivate", "Reactivated"
        EXPORT = "export", "Export requested"
        EXPORT_DOWNLOAD = "export_download", "Export downloaded"
        DELETION_REQUEST = "deletion_request", "Deletion requested"
        DELETION_CANCEL = "deletion_cancel", "Deletion cancelled"
        PURGE = "purge", "Purged"
        RESTORE = "restore", "Restored from an export"

    tenant = models.ForeignKey(
        Tenant,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="audit_entries",
    )
    tenant_subdomain = models.CharField(max_length=40)
    action = models.CharField(max_length=30, choices=Action.choices)
    actor = models.CharField(max_length=200, help_text="operator:ana, owner:bo@acme.test, cli:root")
    reason = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return (
            f"{self.created:%Y-%m-%d %H:%M} {self.tenant_subdomain} {self.action} by {self.actor}"
        )


class TenantExport(models.Model):
    """An operator's export of a tenant's whole schema, built by the worker (tenants.archive):
    a zip with every table's rows as JSON (what a restore reads) and, where the binary exists,
    `pg_dump --schema` SQL. Kept in the database in chunks, so any web dyno can serve it.
    A final export (made when a deletion is requested) outlives its tenant until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for a worker"
        BUILDING = "building", "Building"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    tenant = models.ForeignKey(
        Tenant, on_delete=models.SET_NULL, null=True, blank=True, related_name="exports"
    )
    tenant_subdomain = models.CharField(max_length=40)
    tenant_name = models.CharField(max_length=100)
    requested_by = models.CharField(max_length=200)
    is_final = models.BooleanField(default=False, help_text="made before a deletion")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    has_pg_dump = models.BooleanField(default=False)
    pg_dump_note = models.CharField(max_length=300, blank=True)
    size = models.BigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    created = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.tenant_subdomain} ({self.status})"

    @property
    def filename(self) -> str:
        stamp = (self.finished_at or self.created).strftime("%Y%m%d-%H%M")
        return f"{self.tenant_subdomain}-{'final-' if self.is_final else ''}{stamp}.zip"


class TenantExportChunk(models.Model):
    export = models.ForeignKey(TenantExport, on_delete=models.CASCADE, related_name="chunks")
    seq = models.PositiveIntegerField()
    data = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "seq"], name="tenants_export_chunk_seq")
        ]

    def __str__(self) -> str:
        return f"export {self.export_id} chunk {self.seq}"
