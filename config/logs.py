"""One event per line on stdout, each carrying the tenant schema and a request (or task) id.

The ids travel in context variables: the request middleware and the Celery signals set them,
and a logging filter copies them onto every record, whoever logs it.

A log line is evidence, so nothing a client sends may shape it: values are quoted and escaped
(`logfmt_value`), every record is rendered on one line with its traceback escaped into it
(`OneLineFormatter`), and one-time secrets in URLs (signup handoff tokens, password-reset
tokens) are redacted before a path is written anywhere (`redact_path`). Each request is logged
once, by `RequestLogMiddleware`; gunicorn's own access log is off.
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

current_schema: ContextVar[str] = ContextVar("current_schema", default="-")
current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")

# Heroku's router sends X-Request-ID; accept a caller's id only if it looks like one.
_REQUEST_ID_RE = re.compile(r"^[A-Za-z0-9._-]{8,200}$")
logger = logging.getLogger("awan.request")

# Path segments that are secrets for a short while: whoever reads the logs must not be able to
# replay them. (Token paths of the tenant URLconf, with or without a /t/<subdomain> prefix.)
_SECRET_PATHS = [
    re.compile(r"(/auth/handoff/)[^/]+"),
    re.compile(r"(/reset/[^/]+/)[^/]+"),
    re.compile(r"(/invitations/)[^/]+"),
]
REDACTED = "[redacted]"
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_NEEDS_QUOTES = re.compile(r'[\s"=\\]|[^\x21-\x7e]')


def _escape_char(ch: str) -> str:
    if ch in _ESCAPES:
        return _ESCAPES[ch]
    code = ord(ch)
    if code < 0x20 or code == 0x7F or 0x80 <= code < 0xA0 or ch in "\u2028\u2029":
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def escape(text: str) -> str:
    """Backslash-escape control characters, quotes and backslashes: the text can't end a line
    or a quoted value early."""
    return "".join(_escape_char(ch) for ch in text)


def logfmt_value(value: Any) -> str:
    """A value for `key=value`: bare when it is plain, else quoted and escaped."""
    text = "-" if value is None or value == "" else str(value)
    return f'"{escape(text)}"' if _NEEDS_QUOTES.search(text) else text


def redact_path(path: str) -> str:
    for pattern in _SECRET_PATHS:
        path = pattern.sub(lambda m: m.group(1) + REDACTED, path)
    return path


class OneLineFormatter(logging.Formatter):
    """The usual format, then every line break (in the message, the arguments or the
    traceback) escaped, so each record is exactly one line."""

    def format(self, record: logging.LogRecord) -> str:
        return escape_lines(super().format(record))


def escape_lines(text: str) -> str:
    return "".join(
        _escape_char(ch) if ch in "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029" else ch for ch in text
    )


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
        from tenants.ratelimit import client_ip

        incoming = request.META.get("HTTP_X_REQUEST_ID", "")
        request_id = incoming if _REQUEST_ID_RE.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.monotonic()
        with log_context(schema="-", request_id=request_id):
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                'method=%s path="%s" status=%s duration_ms=%d host=%s remote=%s',
                logfmt_value(request.method),
                escape(redact_path(request.path)),
                response.status_code,
                (time.monotonic() - started) * 1000,
                logfmt_value(request.META.get("HTTP_HOST", "")),
                logfmt_value(client_ip(request)),
            )
        return response
