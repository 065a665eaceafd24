"""Feature flags: each feature is declared once, with a stage; one question answers everywhere.

    INSIGHTS = feature("insights", "Charts of work done per day", stage=BETA)

    feature_enabled(tenant, "insights")        # services, API, Celery tasks
    @feature_required("insights")              # function views (404 when off)
    {% load flags %}{% if features.insights %} # templates (context processor), or the tag
                                               #   {% feature_enabled "insights" as on %}

A `beta` feature is on for tenants on the beta channel; promoting it is the one-line change
`stage=GENERAL`. An operator's per-tenant override (Tenant.feature_overrides) wins over both.
Everything needed lives on the tenant row the request already loaded, so a check costs no
query, and a channel or override change is seen by the very next request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tenants import errors
from tenants.models import Tenant


class Stage(StrEnum):
    BETA = "beta"
    GENERAL = "general"


BETA = Stage.BETA
GENERAL = Stage.GENERAL


@dataclass(frozen=True)
class Feature:
    key: str
    description: str
    stage: Stage

    @property
    def title(self) -> str:
        return self.key.replace("_", " ").capitalize()


REGISTRY: dict[str, Feature] = {}


def feature(key: str, description: str, *, stage: Stage) -> Feature:
    """Declare a feature. Declaring a key twice is a programming error."""
    if key in REGISTRY:
        raise ValueError(f"feature {key!r} is declared twice")
    REGISTRY[key] = Feature(key=key, description=description, stage=Stage(stage))
    return REGISTRY[key]


def feature_enabled(tenant: Tenant | None, key: str) -> bool:
    flag = REGISTRY[key]  # an unknown key is a bug, not "off"
    if tenant is None or tenant.schema_name == "public":
        return False
    override = (tenant.feature_overrides or {}).get(key)
    if override is not None:
        return bool(override)
    if flag.stage == Stage.GENERAL:
        return True
    return tenant.channel == Tenant.Channel.BETA


def beta_features() -> list[Feature]:
    return [f for f in REGISTRY.values() if f.stage == Stage.BETA]


class FeatureSet:
    """`features.<key>` in templates: evaluated lazily for the request's tenant."""

    def __init__(self, tenant: Tenant | None) -> None:
        self._tenant = tenant

    def __getattr__(self, key: str) -> bool:
        if key.startswith("_"):
            raise AttributeError(key)
        return feature_enabled(self._tenant, key)

    def __getitem__(self, key: str) -> bool:
        return feature_enabled(self._tenant, key)


def feature_unavailable(request: HttpRequest, key: str) -> HttpResponse:
    """The answer for a feature that is off: still a 404 (it can't be probed for), but it says
    why, so a bookmark kept from the beta isn't a bare "not found"."""
    flag = REGISTRY[key]
    tenant = getattr(request, "tenant", None)
    if flag.stage != Stage.BETA:
        template = errors.FEATURE_OFF
    elif tenant is not None and tenant.channel_pinned:
        template = errors.FEATURE_BETA_ONLY_PINNED
    else:
        template = errors.FEATURE_BETA_ONLY
    message = template.format(feature=flag.title)
    if request.path_info.startswith("/api/"):
        return JsonResponse({"error": "feature_unavailable", "detail": message}, status=404)
    context = {"feature_name": flag.title, "message": message}
    return render(request, "tenants/feature_off.html", context, status=404)


def feature_required(key: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """View decorator: 404 (not 403) when the feature is off, with the reason on the page."""
    REGISTRY[key]  # fail at import time on a typo

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not feature_enabled(getattr(request, "tenant", None), key):
                return feature_unavailable(request, key)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class FeatureRequiredMixin:
    """Class-based views: set `feature_key`."""

    feature_key: str = ""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if not feature_enabled(getattr(request, "tenant", None), self.feature_key):
            return feature_unavailable(request, self.feature_key)
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]
