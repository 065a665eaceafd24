"""Log lines can't be forged or leak secrets: one event per line (tracebacks included), values
escaped, one-time tokens redacted."""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from config.logs import ContextFilter, OneLineFormatter


@pytest.fixture
def log_lines() -> Iterator[io.StringIO]:
    """What the configured stdout handler would print, captured."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(OneLineFormatter(settings.LOGGING["formatters"]["line"]["format"]))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def _lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


FORGED = (
    "2026-11-30 09:00:00,000 level=INFO logger=awan.request pid=1 schema=t_globex "
    'request_id=abc method=POST path="/admin/" status=200'
)


def test_a_newline_in_the_path_cannot_write_a_second_log_line(acme, log_lines):
    acme.client().get("/nothing%0a" + FORGED.replace(" ", "%20") + "/")

    lines = [line for line in _lines(log_lines) if "logger=awan.request" in line]
    assert len(lines) == 1
    assert "\\n2026-11-30 09:00:00" in lines[0]  # the forged text, escaped inside the path
    assert "schema=t_acme" in lines[0]
    assert not any(line.startswith("2026-11-30 09:00:00") for line in _lines(log_lines))


def test_a_quote_in_the_path_cannot_close_the_value_and_add_fields(acme, log_lines):
    acme.client().get('/x" status=200 schema=t_globex "/')
    (line,) = [line for line in _lines(log_lines) if "logger=awan.request" in line]
    assert 'path="/x\\" status=200 schema=t_globex \\"/"' in line
    assert re.findall(r" schema=(\S+)", line) == ["t_acme", "t_globex"]  # the 2nd inside quotes
    assert line.index("schema=t_acme") < line.index('path="')


def test_a_raw_host_header_is_escaped(seeded_tenants, db, log_lines):
    Client(HTTP_HOST='evil.test" schema=t_acme x="').get("/")
    (line,) = [line for line in _lines(log_lines) if "logger=awan.request" in line]
    assert 'host="evil.test\\" schema=t_acme x=\\""' in line


def test_a_500_with_its_traceback_is_one_line(acme, log_lines, monkeypatch):
    from core_app import selectors

    def broken():
        raise RuntimeError("boom\nwith a second line")

    monkeypatch.setattr(selectors, "dashboard_totals", broken)
    client = acme.client()
    client.raise_request_exception = False
    assert client.get("/").status_code == 500

    errors = [line for line in _lines(log_lines) if "level=ERROR" in line]
    assert len(errors) == 1
    assert "Traceback (most recent call last):\\n" in errors[0]
    assert "RuntimeError: boom\\nwith a second line" in errors[0]
    assert all(line[:4].isdigit() for line in _lines(log_lines))  # every line starts an event


@pytest.mark.parametrize(
    "path",
    [
        "/auth/handoff/ImFiYzEyMyI:1vPz8Q:hHh-SeCrEt-ToKeN/",
        "/reset/MQ/set-password-SeCrEt-ToKeN/",
        "/reset/MQ/ctn0ps-0a1b2c3d4e5f6SeCrEt/",
    ],
)
def test_one_time_tokens_never_reach_the_request_line(acme, log_lines, path):
    acme.client(logged_in=False).get(path)
    text = log_lines.getvalue()
    secret = path.rstrip("/").rsplit("/", 1)[1]
    assert secret not in text
    assert "[redacted]" in text
