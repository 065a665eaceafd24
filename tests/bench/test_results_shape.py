"""The benchmark harness's output, by shape only: benchmarks are not tests, and nothing here
looks at a duration. (CI runs the harness itself with `make bench`.)"""

from __future__ import annotations

import json
import math
from typing import Any

from bench.common import ROOT, Row, Sizes, Stats
from bench.report import RESULTS, markdown, svg, table_text
from bench.runner import PLACEHOLDERS, build_result

# Every family the runner measures (P4 runs in two steps, P4a and P4b).
FAMILIES = {key[:2] for key in PLACEHOLDERS}


def assert_shape(result: dict[str, Any]) -> None:
    assert result["mode"] in ("quick", "full")
    metrics = result["metrics"]
    assert {row["id"].split(".")[0] for row in metrics} == FAMILIES
    assert len({row["id"] for row in metrics + result["context"]}) == len(
        metrics + result["context"]
    )
    for row in metrics:
        assert isinstance(row["met"], bool), row["id"]
        assert row["target"] and row["unit"], row["id"]
        for key in ("awan", "median", "min", "max"):
            value = row[key]
            assert value is None or (isinstance(value, int | float) and math.isfinite(value))
        assert isinstance(row["reps"], int)
        if row["peer"] is not None:
            assert isinstance(row["peer"], int | float)
            assert isinstance(row["ratio"], int | float)
    for row in result["context"]:
        assert row["target"] is None and row["met"] is None


def test_the_committed_results_have_the_agreed_shape():
    result = json.loads(RESULTS.read_text())
    assert_shape(result)
    for row in result["metrics"]:
        assert isinstance(row["awan"], int | float), f"{row['id']} was not measured"


def _rows() -> list[Row]:
    rows = []
    for n in sorted(int(family[1:]) for family in FAMILIES):
        rows.append(
            Row(
                f"P{n}.1",
                f"metric {n}",
                "ms",
                Stats.of([1.0, 2.0, 3.0]),
                Stats.of([30.0, 40.0]),
                "peer",
                target="≤ 2.5 ms",
                limit=lambda r: 2.5,
            )
        )
    rows.append(Row("P1.c", "context", "s", Stats.single(1.0), Stats.single(2.0), "peer"))
    rows.append(Row("P2.2", "higher is better", "req/s", Stats.single(9.0), Stats.single(10.0),
                    "peer", ratio_of="awan/peer", target="≥ 0.9×",
                    limit=lambda r: 0.9 * 10.0, better="higher"))  # fmt: skip
    return rows


def test_a_result_built_from_rows_has_the_shape_and_renders():
    result = build_result(_rows(), Sizes.quick(), duration=12.0, postgres="15")
    assert_shape(result)
    by_id = {row["id"]: row for row in result["metrics"]}
    assert by_id["P1.1"]["met"] is True and by_id["P1.1"]["ratio"] == 17.5
    assert by_id["P2.2"]["met"] is True and by_id["P2.2"]["ratio"] == 0.9
    text = table_text(result)
    assert "P7.1" in text and "P1.c" in text
    assert svg(result).startswith("<svg") and "P7.1" in svg(result)
    assert "| P3.1 |" in markdown(result)


def test_the_synthetic_app_has_two_hundred_migrations():
    migrations = sorted((ROOT / "bench" / "synthetic" / "migrations").glob("0*.py"))
    assert len(migrations) == 200
