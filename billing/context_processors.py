from django.http import HttpRequest


def billing(request: HttpRequest) -> dict:
    """`billing`: the tenant's BillingState for the banner (None on the public site)."""
    return {"billing": getattr(request, "billing", None)}
