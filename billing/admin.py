from django.contrib import admin

from billing.models import Plan, StripeEvent, Subscription
from tenants.admin import operator_site


@admin.register(Plan, site=operator_site)
class PlanAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "key",
        "monthly_price_cents",
        "stripe_price_id",
        "max_projects",
        "max_members",
        "is_active",
    )


@admin.register(Subscription, site=operator_site)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = (
        "tenant",
        "status",
        "plan",
        "trial_end",
        "current_period_end",
        "stripe_subscription_id",
    )
    list_filter = ("status", "plan")
    search_fields = (
        "tenant__name",
        "tenant__subdomain",
        "stripe_customer_id",
        "stripe_subscription_id",
    )
    raw_id_fields = ("tenant",)


@admin.register(StripeEvent, site=operator_site)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "status", "attempts", "stripe_created", "received_at")
    list_filter = ("status", "type")
    search_fields = ("id",)
    readonly_fields = (
        "id",
        "type",
        "payload",
        "stripe_created",
        "received_at",
        "status",
        "attempts",
        "last_error",
        "processed_at",
    )
