from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

View = TypeVar("View", bound=Callable)


def allowed_when_read_only(view: View) -> View:
    """Mark a view whose writes stay allowed for a read-only tenant (billing, exports, auth)."""
    view.allowed_when_read_only = True  # type: ignore[attr-defined]
    return view
