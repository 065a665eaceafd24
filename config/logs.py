"""One event per line on stdout, each carrying the tenant schema and a request (or task) id.

The ids travel in context variables: the request middleware and the Celery signals set them,
and a logging filter copies them onto every record, whoever logs it.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

current_schema: ContextVar[str] = ContextVar("current_schema", default="-")
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

# Heroku's router sends X-Request-ID; accept a caller's id only if it looks like one.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,200}$")
logger = logging.getLogger("awan.request")


class ContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.schema = current_schema.get()
        record.request_id = current_request_id.get()
        return True


@contextmanager
def log_context(*, schema: str | None = None, request_id: str | None = None) -> Iterator[None]:
    tokens = []
    if schema is not None:
        tokens.append((current_schema, current_schema.set(schema)))
    if request_id is not None:
        tokens.append((current_request_id, current_request_id.set(request_id)))
    try:
        yield
    finally:
        for var, token in reversed(tokens):
            var.reset(token)


class RequestLogMiddleware:
    """Outermost middleware: assigns the request id and logs one line per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        with log_context(schema="-", request_id=request_id):
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            # gunicorn's access line reads these from the WSGI environ (%({awan.schema}e)s).
            request.META["awan.schema"] = current_schema.get()
            request.META["awan.request_id"] = request_id
            logger.info(
                'method=%s path="%s" status=%s duration_ms=%d host=%s',
                request.method,
                request.path,
                response.status_code,
                (time.monotonic() - started) * 1000,
                request.META.get("HTTP_HOST", "-"),
            )
        return response
