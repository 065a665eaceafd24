from django.conf import settings
from django.http import HttpRequest
from django_tenants.utils import get_public_schema_name

from tenants.flags import FeatureSet


def tenant(request: HttpRequest) -> dict:
    """`tenant` (None on the public site) and `public_url`, the public site's address."""
    current = getattr(request, "tenant", None)
    if current is not None and current.schema_name == get_public_schema_name():
        current = None
    port = request.get_port()
    suffix = f":{port}" if port not in ("80", "443") else ""
    return {
        "tenant": current,
        "features": FeatureSet(current),
        "public_url": f"{request.scheme}://{settings.BASE_DOMAIN}{suffix}",
    }
