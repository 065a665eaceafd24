"""Two admin sites: the operators' (public host, public schema) and each tenant's own.

Tenancy tables are registered on the operators' site only. A tenant owner is a superuser of
their own schema's admin, and that site never lists the public schema's tables.
"""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django_tenants.admin import TenantAdminMixin

from tenants.models import Domain, Tenant


class OperatorAdminSite(admin.AdminSite):
    site_header = "Awan operators"
    site_title = "Awan operators"
    index_title = "Platform"


operator_site = OperatorAdminSite(name="operator_admin")
operator_site.register(User, UserAdmin)
operator_site.register(Group, GroupAdmin)


class DomainInline(admin.TabularInline):
    model = Domain
    extra = 0


@admin.register(Tenant, site=operator_site)
class TenantAdmin(TenantAdminMixin, admin.ModelAdmin):
    list_display = ("name", "subdomain", "schema_name", "status", "created")
    list_filter = ("status",)
    search_fields = ("name", "subdomain", "schema_name")
    readonly_fields = ("schema_name", "created", "welcomed_at")
    inlines = [DomainInline]
