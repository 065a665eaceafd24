"""Chart labels stay apart on a phone: never two neighbours at the end of the axis."""

from __future__ import annotations

from datetime import date, timedelta

from tenants.charts import grouped_bars, stacked_bars


def test_the_label_before_the_last_is_skipped_when_it_would_touch_it():
    start = date(2026, 9, 7)
    series = [{"date": start + timedelta(weeks=i), "n": i} for i in range(12)]
    labels = [label["text"] for label in grouped_bars(series, ("n",))["labels"]]
    # Every 2nd week, and the last: weeks 0, 2, 4, 6, 8 and 11 (not 10, right beside 11).
    expected = [(start + timedelta(weeks=i)).strftime("%d %b") for i in (0, 2, 4, 6, 8, 11)]
    assert labels == expected
    points = [{"label": str(i), "n": i} for i in range(12)]
    assert [label["text"] for label in stacked_bars(points, ("n",))["labels"]] == [
        "0", "2", "4", "6", "8", "11"
    ]  # fmt: skip


def test_stacked_bars_stack_and_scale():
    chart = stacked_bars([{"label": "a", "x": 1, "y": 3}], ("x", "y"), fmt="${:,.0f}", scale=0.01)
    x, y = chart["bars"]
    assert y.y + y.height == x.y  # y sits on top of x
    assert chart["peak"] == "$0"  # 4 cents
