"""View markers the tenant middlewares read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable)


def allowed_when_deletion_pending(view: View) -> View:
    """Mark a view whose writes stay allowed while the workspace waits to be deleted (signing
    in and out, exporting one's data, cancelling the deletion): tenants.middleware."""
    view.allowed_when_deletion_pending = True  # type: ignore[attr-defined]
    return view
