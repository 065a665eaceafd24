"""Two admin sites: the operators' (public host, public schema) and each tenant's own.

Tenancy tables are registered on the operators' site only. A tenant owner is a superuser of
their own schema's admin, and that site never lists the public schema's tables. Both sites'
logins are throttled (tenants.auth), and both go through the same services as the pages:
a tenant's admin can't add users past the plan, the operators' can't delete the public tenant.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import admin as auth_admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django_tenants.admin import TenantAdminMixin

from billing.services import PlanLimitReached
from tenants import errors
from tenants.auth import AdminLoginForm
from tenants.channels import ChannelPinned, channel_pin, channel_set, feature_override_set
from tenants.db import current_tenant
from tenants.directory import account_index_add, account_index_remove
from tenants.flags import REGISTRY
from tenants.forms import email_field, password_field, validate_new_password
from tenants.lifecycle import (
    LifecycleRefused,
    tenant_delete_now,
    tenant_reactivate,
    tenant_suspend,
)
from tenants.models import ChannelChange, Domain, PublicTenantProtected, Tenant
from tenants.operators import operator_delete
from tenants.workspace.models import Membership
from tenants.workspace.team import seats_hold


class InvalidFormIs400:
    """Admin change forms answer a rejected submission with 400, like every form in the kit."""

    def render_change_form(self, request: HttpRequest, context: dict, *args: Any, **kwargs: Any):
        response = super().render_change_form(request, context, *args, **kwargs)  # type: ignore[misc]
        if request.method == "POST" and context["adminform"].form.errors:
            response.status_code = 400
        return response


class OperatorAdminSite(admin.AdminSite):
    """Staff who passed the console's second factor (CONSOLE_REQUIRE_2FA): its login is the
    console's, so there is one way in, with TOTP."""

    site_header = "Awan operators"
    site_title = "Awan operators"
    index_title = "Platform"
    login_form = AdminLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        from tenants.console.access import second_factor_passed

        return super().has_permission(request) and second_factor_passed(request)

    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        target = request.GET.get("next") or reverse("operator_admin:index", current_app=self.name)
        return HttpResponseRedirect(f"{reverse('console:login')}?{urlencode({'next': target})}")


class OperatorUserAdmin(InvalidFormIs400, UserAdmin):
    """Operators are public-schema users: their delete touches only public tables (the
    product's tables that point at users exist in tenant schemas only)."""

    def get_deleted_objects(self, objs: Any, request: HttpRequest) -> Any:
        users = list(objs)
        return [str(u) for u in users], {"users": len(users)}, set(), []

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        operator_delete(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            operator_delete(user=user)


operator_site = OperatorAdminSite(name="operator_admin")
operator_site.register(User, OperatorUserAdmin)
operator_site.register(Group, GroupAdmin)

OVERRIDE_CHOICES = [("", "follow the channel"), ("on", "force on"), ("off", "force off")]


def _feature_field(key: str) -> str:
    return f"feature_{key}"


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
    channel_reason = forms.CharField(
        required=False, max_length=300, help_text="Why (kept in the channel history)."
    )

    class Meta:
        model = Tenant
        fields = ("name", "status", "status_reason", "channel", "channel_pinned")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        overrides = (self.instance.feature_overrides or {}) if self.instance.pk else {}
        for key in REGISTRY:
            if _feature_field(key) not in self.fields:
                continue
            current = overrides.get(key)
            self.fields[_feature_field(key)].initial = (
                "" if current is None else ("on" if current else "off")
            )


def tenant_admin_form() -> type[TenantAdminForm]:
    """The form with one select per registered feature, declared on the class: the admin
    renders (and accepts) only fields its fieldsets name and the form class declares."""
    declared: dict[str, Any] = {
        _feature_field(key): forms.ChoiceField(
            choices=OVERRIDE_CHOICES,
            required=False,
            label=f"Feature: {key} ({feature.stage})",
            help_text=feature.description,
        )
        for key, feature in REGISTRY.items()
    }
    return type("TenantAdminFormWithFeatures", (TenantAdminForm,), declared)


@admin.register(Tenant, site=operator_site)
class TenantAdmin(InvalidFormIs400, TenantAdminMixin, admin.ModelAdmin):
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

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        return [
            (None, {"fields": ("name", "schema_name", "created", "welcomed_at")}),
            (
                "Status",
                {
                    "fields": ("status", "status_reason"),
                    "description": "A suspended workspace keeps its data; its users see the "
                    "reason and can't sign in until it is active again.",
                },
            ),
            ("Release channel", {"fields": ("channel", "channel_pinned", "channel_reason")}),
            (
                "Feature overrides",
                {
                    "fields": tuple(_feature_field(key) for key in REGISTRY),
                    "description": "Force a feature on or off for this tenant, whatever its "
                    "channel.",
                },
            ),
        ]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        kwargs["form"] = tenant_admin_form()
        return super().get_form(request, obj, change=change, **kwargs)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tenants come from signup or `manage.py tenant_create`, which provision them

    def has_delete_permission(self, request: HttpRequest, obj: Tenant | None = None) -> bool:
        if obj is not None and obj.is_public:
            return False  # the public tenant carries the public site and the operators
        return super().has_delete_permission(request, obj)

    def delete_model(self, request: HttpRequest, obj: Tenant) -> None:
        tenant_delete_now(tenant=obj, actor=f"operator:{request.user.get_username()}")

    def delete_view(self, request: HttpRequest, object_id: str, extra_context: Any = None):
        try:
            return super().delete_view(request, object_id, extra_context)
        except LifecycleRefused as exc:  # Stripe didn't answer: nothing was deleted
            messages.error(request, exc.message)
            return redirect("admin:tenants_tenant_change", object_id)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Tenant]) -> None:
        kept = []
        for tenant in queryset:
            try:
                tenant_delete_now(tenant=tenant, actor=f"operator:{request.user.get_username()}")
            except LifecycleRefused as exc:
                kept.append(tenant.subdomain)
                messages.error(request, exc.message)
        if kept:
            messages.warning(request, f"Not deleted: {', '.join(kept)}.")

    def save_model(self, request: HttpRequest, obj: Tenant, form: forms.Form, change: bool) -> None:
        """Status, channel, pin and overrides go through their services (history, checks)."""
        actor = f"operator:{request.user.get_username()}"
        reason = form.cleaned_data.get("channel_reason", "")
        if not change:
            super().save_model(request, obj, form, change)
            return
        stored = Tenant.objects.get(pk=obj.pk)
        wanted_channel, wanted_pin = obj.channel, obj.channel_pinned
        wanted_status, wanted_reason = obj.status, obj.status_reason
        obj.channel, obj.channel_pinned = stored.channel, stored.channel_pinned
        obj.status, obj.status_reason = stored.status, stored.status_reason
        super().save_model(request, obj, form, change)
        self._apply_status(request, obj, wanted_status, wanted_reason, actor)
        if obj.is_public:
            return
        if wanted_pin != stored.channel_pinned:
            channel_pin(tenant=obj, pinned=wanted_pin, actor=actor, reason=reason)
        try:
            channel_set(tenant=obj, channel=wanted_channel, actor=actor, reason=reason)
        except ChannelPinned:
            messages.error(
                request, f"{obj} is pinned to stable; unpin it before moving it to beta."
            )
        for key in REGISTRY:
            value = form.cleaned_data.get(_feature_field(key), "")
            enabled = None if value == "" else value == "on"
            if (obj.feature_overrides or {}).get(key) != enabled:
                feature_override_set(tenant=obj, key=key, enabled=enabled, actor=actor)

    def _apply_status(
        self, request: HttpRequest, obj: Tenant, status: str, reason: str, actor: str
    ) -> None:
        try:
            if status == Tenant.Status.SUSPENDED and (
                not obj.is_suspended or reason != obj.status_reason
            ):
                tenant_suspend(tenant=obj, reason=reason, actor=actor)
            elif status == Tenant.Status.ACTIVE and obj.is_suspended:
                tenant_reactivate(tenant=obj, actor=actor)
            elif status != obj.status and status not in (
                Tenant.Status.ACTIVE,
                Tenant.Status.SUSPENDED,
            ):
                messages.error(request, "Deletion and its cancellation live in the console.")
        except (PublicTenantProtected, LifecycleRefused) as exc:
            messages.error(request, exc.message)

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


# --- a tenant's own admin (admin.site, served on tenant hosts) ------------------------------


class TenantUserCreationForm(forms.ModelForm):
    """Adding a user in a tenant's admin follows the Team page's rules: sign-in by email, the
    password validators, and the plan's member limit, held until the admin's transaction ends."""

    email = email_field()
    password1 = password_field(label="Password")
    password2 = password_field(label="Password again")

    class Meta:
        model = User
        fields = ("email",)

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(username=email).exists():
            raise ValidationError(errors.MEMBER_EXISTS)
        return email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("password1") != cleaned.get("password2"):
            self.add_error("password2", "The two passwords don't match.")
        validate_new_password(self, "password1", email=cleaned.get("email", ""))
        if not self.errors:
            try:
                seats_hold()  # the admin's add view runs in one transaction
            except PlanLimitReached as exc:
                raise ValidationError(exc.message) from exc
        return cleaned

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.username = user.email = self.cleaned_data["email"]
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class TenantUserAdmin(InvalidFormIs400, auth_admin.UserAdmin):
    add_form = TenantUserCreationForm
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Users sign in with username == email: editing one alone would lock them out. Roles
        # (and with them staff/superuser) are changed on the Team page, where the rules live.
        if obj is None:
            return ()
        return ("username", "email", "last_login", "date_joined", "is_staff", "is_superuser")

    def save_model(self, request: HttpRequest, obj: User, form: forms.Form, change: bool) -> None:
        with transaction.atomic():
            if change and obj.is_active and not User.objects.get(pk=obj.pk).is_active:
                try:
                    seats_hold()  # reactivating a user takes a seat again
                except PlanLimitReached as exc:
                    messages.error(request, exc.message)
                    obj.is_active = False
            super().save_model(request, obj, form, change)
            if not change:
                Membership.objects.get_or_create(user=obj, defaults={"role": "member"})
                account_index_add(tenant=current_tenant(), email=obj.email)

    def delete_model(self, request: HttpRequest, obj: User) -> None:
        super().delete_model(request, obj)
        account_index_remove(tenant=current_tenant(), email=obj.email)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        emails = list(queryset.values_list("email", flat=True))
        super().delete_queryset(request, queryset)
        for email in emails:
            account_index_remove(tenant=current_tenant(), email=email)


admin.site.login_form = AdminLoginForm
admin.site.unregister(User)
admin.site.register(User, TenantUserAdmin)
