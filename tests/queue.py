"""Run what the code queued for the worker, in this process, from the real Redis queue: for
unit tests that need a task's result (an email, a delivery) without starting a worker."""

from __future__ import annotations

import base64
import json

from config import kv
from config.celery_app import app


def queued() -> list[tuple[str, dict]]:
    """(task name, kwargs) of every message waiting in the default queue, oldest first."""
    out = []
    for raw in reversed(kv.client().lrange("celery", 0, -1)):
        message = json.loads(raw)
        body = message["body"]
        if message["properties"].get("body_encoding") == "base64":
            body = base64.b64decode(body)
        _args, kwargs, _embed = json.loads(body)
        out.append((message["headers"]["task"], kwargs))
    return out


def run_queued(*, only: str | None = None) -> list[tuple[str, object]]:
    """Take the queued messages off the queue and run them here; returns (name, result)."""
    messages = queued()
    kv.client().delete("celery")
    results = []
    for name, kwargs in messages:
        if only is not None and not name.endswith(only):
            continue
        results.append((name, app.tasks[name].apply(kwargs=kwargs).get()))
    return results
