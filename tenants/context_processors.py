from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.flags import FeatureSet
from tenants.routing import public_url


def tenant(request: HttpRequest) -> dict:
    """`tenant` (None on the public site) and `public_url`, the public site's address."""
    current = getattr(request, "tenant", None)
    if current is not None and current.schema_name == get_public_schema_name():
        current = None
    return {
        "tenant": current,
        "features": FeatureSet(current),
        "public_url": public_url(path="", request=request) if current is not None else "",
    }
