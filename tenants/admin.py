"""Two admin sites: the operators' (public host, public schema) and each tenant's own.

Tenancy tables are registered on the operators' site only. A tenant owner is a superuser of
their own schema's admin, and that site never lists the public schema's tables.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db.models import QuerySet
from django.http import HttpRequest
from django_tenants.admin import TenantAdminMixin

from tenants.channels import ChannelPinned, channel_pin, channel_set, feature_override_set
from tenants.flags import REGISTRY
from tenants.models import ChannelChange, Domain, Tenant


class OperatorAdminSite(admin.AdminSite):
    site_header = "Awan operators"
    site_title = "Awan operators"
    index_title = "Platform"


operator_site = OperatorAdminSite(name="operator_admin")
operator_site.register(User, UserAdmin)
operator_site.register(Group, GroupAdmin)

OVERRIDE_CHOICES = [("", "follow the channel"), ("on", "force on"), ("off", "force off")]


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


class ChannelChangeInline(admin.TabularInline):
    model = ChannelChange
    extra = 0
    can_delete = False
    fields = ("created", "from_channel", "to_channel", "pinned", "actor", "reason")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TenantAdminForm(forms.ModelForm):
    """One select per registered feature, for operator overrides."""

    channel_reason = forms.CharField(required=False, help_text="Why (kept in the channel history).")

    class Meta:
        model = Tenant
        fields = ("name", "status", "channel", "channel_pinned")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        overrides = (self.instance.feature_overrides or {}) if self.instance.pk else {}
        for key, feature in REGISTRY.items():
            current = overrides.get(key)
            self.fields[f"feature_{key}"] = forms.ChoiceField(
                choices=OVERRIDE_CHOICES,
                required=False,
                label=f"Feature: {key} ({feature.stage})",
                help_text=feature.description,
                initial="" if current is None else ("on" if current else "off"),
            )


@admin.register(Tenant, site=operator_site)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    form = TenantAdminForm
    list_display = (
        "name",
        "subdomain",
        "schema_name",
        "status",
        "channel",
        "channel_pinned",
        "created",
    )
    list_filter = ("channel", "channel_pinned", "status")
    search_fields = ("name", "subdomain", "schema_name")
    readonly_fields = ("schema_name", "created", "welcomed_at")
    inlines = [DomainInline, ChannelChangeInline]
    actions = ["move_to_beta", "move_to_stable", "pin_to_stable", "unpin"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tenants come from signup or `manage.py tenant_create`, which provision them

    def save_model(self, request: HttpRequest, obj: Tenant, form: forms.Form, change: bool) -> None:
        """Channel, pin and overrides go through their services so history is written."""
        actor = f"operator:{request.user.get_username()}"
        reason = form.cleaned_data.get("channel_reason", "")
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Tenant.objects.get(pk=obj.pk)
        wanted_channel, wanted_pin = obj.channel, obj.channel_pinned
        obj.channel, obj.channel_pinned = stored.channel, stored.channel_pinned
        super().save_model(request, obj, form, change)
        if wanted_pin != stored.channel_pinned:
            channel_pin(tenant=obj, pinned=wanted_pin, actor=actor, reason=reason)
        try:
            channel_set(tenant=obj, channel=wanted_channel, actor=actor, reason=reason)
        except ChannelPinned:
            messages.error(
                request, f"{obj} is pinned to stable; unpin it before moving it to beta."
            )
        for key in REGISTRY:
            value = form.cleaned_data.get(f"feature_{key}", "")
            enabled = None if value == "" else value == "on"
            if (obj.feature_overrides or {}).get(key) != enabled:
                feature_override_set(tenant=obj, key=key, enabled=enabled, actor=actor)

    def _move(self, request: HttpRequest, queryset: QuerySet[Tenant], channel: str) -> None:
        moved, pinned = 0, []
        for tenant in queryset.exclude(schema_name="public"):
            try:
                channel_set(
                    tenant=tenant,
                    channel=channel,
                    actor=f"operator:{request.user.get_username()}",
                    reason="bulk action in the operators' admin",
                )
                moved += 1
            except ChannelPinned:
                pinned.append(tenant.subdomain)
        self.message_user(request, f"{moved} tenant(s) on {channel}.")
        if pinned:
            self.message_user(
                request, f"Skipped, pinned to stable: {', '.join(pinned)}", messages.WARNING
            )

    @admin.action(description="Move selected tenants to the beta channel")
    def move_to_beta(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._move(request, queryset, Tenant.Channel.BETA)

    @admin.action(description="Move selected tenants to the stable channel")
    def move_to_stable(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        self._move(request, queryset, Tenant.Channel.STABLE)

    @admin.action(description="Pin selected tenants to stable (owners can't opt in)")
    def pin_to_stable(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        for tenant in queryset.exclude(schema_name="public"):
            channel_pin(tenant=tenant, pinned=True, actor=f"operator:{request.user.get_username()}")
        self.message_user(request, "Pinned to stable.")

    @admin.action(description="Lift the stable pin")
    def unpin(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        for tenant in queryset.exclude(schema_name="public"):
            channel_pin(
                tenant=tenant, pinned=False, actor=f"operator:{request.user.get_username()}"
            )
        self.message_user(request, "Pin lifted.")
