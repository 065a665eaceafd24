from django.http import HttpRequest

from billing import conf
from tenants.roles import Perm, user_can


def billing(request: HttpRequest) -> dict:
    """`billing`: the tenant's BillingState for the banner (None on the public site), and
    whether this user can act on it (`billing_can_pay`: the owner, with payments switched on)."""
    state = getattr(request, "billing", None)
    can_pay = (
        state is not None
        and conf.stripe_enabled()
        and user_can(getattr(request, "user", None), Perm.MANAGE_BILLING)
    )
    return {"billing": state, "billing_can_pay": can_pay}
