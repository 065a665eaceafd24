"""A small server-side SVG bar chart (insights, usage, the operators' console): no JavaScript
and no CDN needed to draw it, and it scales to any width (viewBox)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, BOTTOM, TOP = 700, 240, 24, 12


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    kind: str
    value: int


def grouped_bars(series: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, Any]:
    """Coordinates for one group of bars per point, one bar per key, scaled to the tallest."""
    peak = max([1, *(point[k] for point in series for k in keys)])
    slot = WIDTH / max(1, len(series))
    bar_width = slot * 0.8 / len(keys)
    plot_height = HEIGHT - BOTTOM - TOP
    # At most ~7 date labels, so they stay apart when the chart is shrunk to a phone's width.
    label_every = max(1, -(-len(series) // 7))
    bars, labels = [], []
    for i, point in enumerate(series):
        for j, key in enumerate(keys):
            height = plot_height * point[key] / peak
            x = i * slot + slot * 0.1 + j * bar_width
            bars.append(Bar(x, TOP + plot_height - height, bar_width - 1, height, key, point[key]))
        if i % label_every == 0 or i == len(series) - 1:
            labels.append({"x": i * slot + slot / 2, "text": point["date"].strftime("%d %b")})
    return {
        "bars": bars,
        "labels": labels,
        "width": WIDTH,
        "height": HEIGHT,
        "peak": peak,
        "baseline": HEIGHT - BOTTOM,
    }
