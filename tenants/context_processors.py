from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.flags import FeatureSet
from tenants.roles import Perm, user_can
from tenants.routing import public_url


class PermissionSet:
    """`can.manage_billing` in templates: the permission table, for the signed-in user."""

    def __init__(self, user: object) -> None:
        self._user = user

    def __getattr__(self, name: str) -> bool:
        if name.startswith("_"):
            raise AttributeError(name)
        return user_can(self._user, Perm(name))  # type: ignore[arg-type]


def tenant(request: HttpRequest) -> dict:
    """`tenant` (None on the public site) and `public_url`, the public site's address."""
    current = getattr(request, "tenant", None)
    if current is not None and current.schema_name == get_public_schema_name():
        current = None
    return {
        "tenant": current,
        "features": FeatureSet(current),
        "can": PermissionSet(getattr(request, "user", None)) if current is not None else None,
        "public_url": public_url(path="", request=request) if current is not None else "",
    }
