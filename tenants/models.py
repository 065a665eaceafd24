"""Tenancy lives in the public schema: who the tenants are, which hosts reach them, and the
one-time tokens that carry a fresh signup from the public host onto its tenant's host."""

import uuid

from django.db import models
from django_tenants.models import DomainMixin, TenantMixin


class Tenant(TenantMixin):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=100)
    subdomain = models.SlugField(max_length=40, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created = models.DateTimeField(auto_now_add=True)
    welcomed_at = models.DateTimeField(null=True, blank=True)

    # Provisioning is an explicit service call (tenants.provisioning), not a side effect of save().
    auto_create_schema = False
    auto_drop_schema = False

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.schema_name})"


class Domain(DomainMixin):
    class Meta:
        ordering = ["domain"]


class LoginHandoff(models.Model):
    """A signed, single-use, short-lived ticket: signup on the public host logs the owner in on
    the tenant's host. Sessions are per host and per schema, so no cookie could do it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, related_name="+")
    user_id = models.BigIntegerField()
    created = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"handoff {self.id} for {self.tenant_id}"
