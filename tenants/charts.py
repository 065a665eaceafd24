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


def _labelled(i: int, count: int, every: int) -> bool:
    """Every `every`-th point and always the last; a regular one too close to the last is
    skipped, so two labels never run into each other on a phone."""
    last = count - 1
    return i == last or (i % every == 0 and last - i >= every)


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
        if _labelled(i, len(series), label_every):
            labels.append({"x": i * slot + slot / 2, "text": point["date"].strftime("%d %b")})
    return {
        "bars": bars,
        "labels": labels,
        "width": WIDTH,
        "height": HEIGHT,
        "peak": peak,
        "baseline": HEIGHT - BOTTOM,
    }


def stacked_bars(
    points: list[dict[str, Any]],
    keys: tuple[str, ...],
    *,
    fmt: str = "{:,}",
    scale: float = 1,
    classes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """One bar per point (`point["label"]` under it), its parts stacked bottom-up in `keys`
    order, each part's CSS class from `classes` (default "series-<i>"; colours in awan.css, so
    a legend uses the same class); the scale's top value is `fmt.format(peak * scale)` (e.g.
    cents shown as dollars)."""
    classes = classes or tuple(f"series-{j}" for j in range(len(keys)))
    peak = max([1, *(sum(point[k] for k in keys) for point in points)])
    slot = WIDTH / max(1, len(points))
    plot_height = HEIGHT - BOTTOM - TOP
    label_every = max(1, -(-len(points) // 7))
    bars, labels = [], []
    for i, point in enumerate(points):
        base = TOP + plot_height
        for j, key in enumerate(keys):
            height = plot_height * point[key] / peak
            base -= height
            bars.append(
                Bar(i * slot + slot * 0.15, base, slot * 0.7, height, classes[j], point[key])
            )
        if _labelled(i, len(points), label_every):
            labels.append({"x": i * slot + slot / 2, "text": point["label"]})
    return {
        "bars": [b for b in bars if b.height > 0],
        "labels": labels,
        "width": WIDTH,
        "height": HEIGHT,
        "peak": fmt.format(peak * scale),
        "baseline": HEIGHT - BOTTOM,
    }
