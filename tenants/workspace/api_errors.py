"""Every API error in one shape:

{"error": "validation_error", "detail": "…", "fields": {"name": ["This field is required."]}}
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from billing.services import PlanLimitReached

ERROR_CODES = {
    status.HTTP_400_BAD_REQUEST: "validation_error",
    status.HTTP_401_UNAUTHORIZED: "not_authenticated",
    status.HTTP_403_FORBIDDEN: "forbidden",
    status.HTTP_404_NOT_FOUND: "not_found",
    status.HTTP_405_METHOD_NOT_ALLOWED: "method_not_allowed",
    status.HTTP_406_NOT_ACCEPTABLE: "not_acceptable",
    status.HTTP_412_PRECONDITION_FAILED: "precondition_failed",
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE: "unsupported_media_type",
    status.HTTP_429_TOO_MANY_REQUESTS: "rate_limited",
}


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "This resource changed since you read it (its ETag no longer matches If-Match): read it "
        "again, then retry."
    )
    default_code = "precondition_failed"


class FeatureUnavailable(exceptions.NotFound):
    """A beta endpoint of a feature that is off for this workspace: 404, saying why."""

    default_code = "feature_unavailable"


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Every error as {"error", "detail"[, "fields"]}, plan limits included (403)."""
    if isinstance(exc, PlanLimitReached):
        return Response({"error": "plan_limit", "detail": exc.message}, status=403)
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    code = exc.default_code if isinstance(exc, FeatureUnavailable | PreconditionFailed) else None
    body: dict[str, Any] = {"error": code or ERROR_CODES.get(response.status_code, "error")}
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        body["detail"] = "Some fields are not valid: see `fields`."
        body["fields"] = fields
    else:
        detail = data.get("detail", data) if isinstance(data, dict) else data
        body["detail"] = str(detail)
    response.data = body
    return response
