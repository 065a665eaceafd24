"""What a run produces: the table on stdout, bench/results/latest.json, and docs/performance.md
with its chart docs/performance.svg (plain Python, no plotting library).

`python -m bench.report` redraws the docs from bench/results/latest.json.
"""

from __future__ import annotations

import json
import math
from html import escape
from typing import Any

from bench.common import ROOT

RESULTS = ROOT / "bench" / "results" / "latest.json"
DOC = ROOT / "docs" / "performance.md"
SVG = ROOT / "docs" / "performance.svg"


# --- numbers ---------------------------------------------------------------------------------


def num(value: float | None) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    magnitude = abs(value)
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:.0f}"
    if magnitude >= 10:
        return f"{value:.1f}"
    if magnitude >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def ratio_text(row: dict[str, Any]) -> str:
    ratio = row.get("ratio")
    if ratio is None:
        return "—"
    if row.get("ratio_of") == "awan-peer":
        return f"{ratio:+.2f}"
    return f"{ratio:.2f}×" if ratio < 10 else f"{ratio:.1f}×"


def met_text(row: dict[str, Any]) -> str:
    return {True: "yes", False: "NO", None: "info"}[row.get("met")]


def spread(stats: dict[str, Any] | None) -> str:
    if not stats:
        return ""
    return f"{num(stats['median'])} [{num(stats['min'])}–{num(stats['max'])}] ×{stats['reps']}"


# --- the table -------------------------------------------------------------------------------

COLUMNS = [
    "id",
    "metric",
    "awan",
    "peer",
    "unit",
    "ratio",
    "target",
    "met",
    "awan med [min–max] ×n",
    "peer med [min–max] ×n",
]


def table_rows(rows: list[dict[str, Any]]) -> list[list[str]]:
    out = []
    for row in rows:
        name = row["name"] if len(row["name"]) <= 60 else row["name"][:59] + "…"
        out.append(
            [
                row["id"],
                name,
                num(row["awan"]),
                num(row["peer"]),
                row["unit"],
                ratio_text(row),
                row["target"] or "—",
                met_text(row),
                spread(row["awan_stats"]),
                spread(row["peer_stats"]),
            ]
        )
    return out


def table_text(result: dict[str, Any]) -> str:
    rows = table_rows(result["metrics"] + result.get("context", []))
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(COLUMNS)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(COLUMNS, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for i, row in enumerate(rows):
        if i == len(result["metrics"]) and result.get("context"):
            lines.append("  ".join("·" * w for w in widths))
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)


def peers_line(result: dict[str, Any]) -> str:
    return ", ".join(sorted({r["peer_name"] for r in result["metrics"] if r.get("peer_name")}))


# --- the chart -------------------------------------------------------------------------------

AWAN_MET, AWAN_MISSED, PEER, TARGET = "#2f7d4f", "#c0392b", "#9aa5b1", "#1f2933"


def svg(result: dict[str, Any]) -> str:
    """One band per metric with a target: Awan's bar (green when met, red when not), the
    peer's bar (grey) when there is one, and the target as a dashed line, all in the metric's
    own unit and scaled to the band's largest value."""
    rows = result["metrics"]
    left, bar_width, right, band = 330, 430, 150, 44
    top = 64
    width = left + bar_width + right
    height = top + band * len(rows) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="22" font-size="15" font-weight="bold">Awan vs its peers — '
        f"{escape(result['mode'])} run, {escape(result['generated_at'][:10])}</text>",
        f'<rect x="12" y="34" width="12" height="10" fill="{AWAN_MET}"/>'
        '<text x="28" y="43">Awan (target met)</text>'
        f'<rect x="148" y="34" width="12" height="10" fill="{AWAN_MISSED}"/>'
        '<text x="164" y="43">Awan (target not met)</text>'
        f'<rect x="310" y="34" width="12" height="10" fill="{PEER}"/>'
        '<text x="326" y="43">peer, same run</text>'
        f'<line x1="436" y1="39" x2="456" y2="39" stroke="{TARGET}" stroke-dasharray="4 3" '
        'stroke-width="2"/><text x="462" y="43">target</text>',
    ]
    for i, row in enumerate(rows):
        y = top + i * band
        if i % 2 == 0:
            out.append(f'<rect x="0" y="{y - 4}" width="{width}" height="{band}" fill="#f4f6f8"/>')
        label = row["name"] if len(row["name"]) <= 40 else row["name"][:39] + "…"
        out.append(f'<text x="12" y="{y + 14}" font-weight="bold">{escape(row["id"])}</text>')
        out.append(f'<text x="56" y="{y + 14}">{escape(label)}</text>')
        out.append(f'<text x="56" y="{y + 30}" fill="#52606d">{escape(row["target"] or "")}</text>')
        values = [v for v in (row["awan"], row["peer"], row.get("limit")) if v is not None]
        scale = max([abs(v) for v in values] + [1e-9]) * 1.08
        x0 = left

        def bar(value: float | None, y_bar: int, color: str, scale: float = scale) -> None:
            if value is None:
                return
            w = max(1.0, bar_width * abs(value) / scale)
            out.append(f'<rect x="{left}" y="{y_bar}" width="{w:.1f}" height="12" fill="{color}"/>')

        if row["awan"] is None:
            out.append(f'<text x="{x0}" y="{y + 14}" fill="{AWAN_MISSED}">not measured</text>')
        else:
            bar(row["awan"], y + 4, AWAN_MET if row["met"] else AWAN_MISSED)
        bar(row["peer"], y + 20, PEER)
        if row.get("limit") is not None:
            lx = x0 + bar_width * abs(row["limit"]) / scale
            out.append(
                f'<line x1="{lx:.1f}" y1="{y}" x2="{lx:.1f}" y2="{y + 36}" stroke="{TARGET}" '
                'stroke-dasharray="4 3" stroke-width="2"/>'
            )
        text_x = left + bar_width + 10
        unit = escape(row["unit"])
        out.append(f'<text x="{text_x}" y="{y + 14}">{num(row["awan"])} {unit}</text>')
        if row["peer"] is not None:
            out.append(
                f'<text x="{text_x}" y="{y + 30}" fill="#52606d">peer {num(row["peer"])}'
                f" ({escape(ratio_text(row))})</text>"
            )
    out.append(
        f'<text x="12" y="{height - 14}" fill="#52606d">Each band has its own scale and unit. '
        "Medians; full spread, sizes and notes in bench/results/latest.json.</text>"
    )
    out.append("</svg>")
    return "\n".join(out) + "\n"


# --- the page --------------------------------------------------------------------------------

EXPLANATIONS = [
    (
        "P1 — provisioning",
        "A validated signup until the tenant, its domain, its schema and its owner exist and "
        "the owner can log in. Awan claims a spare schema built ahead of time by the worker (a "
        "rename in the signup's transaction), so no migration runs in the request; "
        "django-tenants' default runs CREATE SCHEMA + migrate_schemas for the new schema, its "
        "clone option copies a base schema then fakes the migrations. The password hash is "
        "excluded (timed with MD5PasswordHasher), except in P1.4, the whole signup POST with "
        "the default PBKDF2 hasher, whose target is the hash time + 100 ms. Targets: p50 ≤ 20 "
        "ms, ≥ 15× faster than django-tenants' default with today's migrations, ≥ 100× with 200 "
        "more (bench/synthetic), and flat between the two.",
    ),
    (
        "P2 — routing",
        "The same view (up to 20 projects as JSON) served by Awan (its full middleware, routed "
        "by Host), by plain Django without tenancy, and by django-tenants' defaults, each a "
        "real gunicorn with the same workers and persistent connections, loaded by wrk on "
        "loopback. Target: ≥ 0.9× plain Django's throughput, and at most one extra statement "
        "per request (a statement counts when it is its own round trip; a search_path sent in "
        "front of a statement in the same round trip is reported alongside).",
    ),
    (
        "P3 — scale",
        "Routed throughput (requests spread over every tenant) and signup p50 with the large "
        "fleet, against the same measurements on a small fleet (10 tenants, in a database of "
        "its own, measured in alternation with the large one): within 10% and 20%. And the "
        "PostgreSQL backend of a long-lived web connection after one request to every tenant "
        "(Private_Clean + Private_Dirty of its non-shared mappings in /proc/<pid>/smaps; the "
        "smaps_rollup figure, which also counts shared-buffer pages only it has touched, is in "
        "the JSON): ≤ 20 MiB. Awan recycles "
        "a connection after DB_RECYCLE_AFTER_SCHEMAS schemas; django-tenants' defaults never "
        "do.",
    ),
    (
        "P4 — fleet migrations",
        "Whole commands, timed as subprocesses. A no-op deploy over 1,000 tenants: Awan's "
        "fleet_migrate reads one state table, migrate_schemas visits every schema: ≤ 5 s and ≥ "
        "20× faster than the standard executor (the multiprocessing executor and "
        "django-tenants-smart-executor are shown too). One additive migration (an AddField) "
        "over 1,000 tenants: ≥ 5× faster than the multiprocessing executor. Over 10,000 "
        "tenants: < 15 min (projected from the large fleet when the run is smaller).",
    ),
    (
        "P5 — cold start",
        "The Procfile's web process from exec to the first 200 on a tenant page, against plain "
        "Django serving the same view with the same gunicorn configuration: ≤ 1 s and ≤ 1.2×. A "
        "web worker's memory after serving (PSS; RSS and USS in the JSON): ≤ 1.1× plain "
        "Django's.",
    ),
    (
        "P6 — sweeps",
        "The trial reminder/expiry sweep over 10,000 tenants on a catch-up day (8,471 reminders "
        "due and 500 expiries), including queueing the email tasks on Redis: ≤ 2 s.",
    ),
    (
        "P7 — webhooks",
        "Stripe webhook intake at a fixed 200 events/s (open loop, latency from each event's "
        "scheduled time) with the worker running on the same machine: p99 ≤ 50 ms. The worker "
        "drains a backlog at ≥ 300 events/s (from the events' processed_at).",
    ),
    (
        "P8 — operators' console",
        "The operators' dashboard page over 10,000 tenants with a year of subscription history "
        "(GET /console/ as a verified operator: every report query, the charts, the template): "
        "≤ 1 s, with the same number of statements as at 100 tenants. The peer is the MRR "
        "series alone computed one query per subscription, which must give the same numbers.",
    ),
]


def markdown_table(rows: list[dict[str, Any]]) -> list[str]:
    head = [
        "id",
        "metric",
        "Awan",
        "peer",
        "unit",
        "ratio",
        "target",
        "met",
        "Awan med [min–max] ×n",
        "peer med [min–max] ×n",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r, row in zip(table_rows(rows), rows, strict=True):
        r[1] = row["name"] + (f" — vs {row['peer_name']}" if row.get("peer_name") else "")
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in r) + " |")
    return lines


def markdown(result: dict[str, Any]) -> str:
    metrics, context = result["metrics"], result.get("context", [])
    met = [r["id"] for r in metrics if r["met"]]
    missed = [r["id"] for r in metrics if not r["met"]]
    lines = [
        "# Performance",
        "",
        "`make bench` measures Awan against its peers **in the same run, on the same PostgreSQL**: "
        "django-tenants' defaults (its default tenant creation and clone option, its "
        "`migrate_schemas` standard and multiprocessing executors, django-tenants-smart-executor) "
        "and the same view in plain Django without tenancy. It prints one table, writes "
        "[`bench/results/latest.json`](../bench/results/latest.json), and redraws this page and "
        "its chart. The benchmarks are not tests: nothing in `tests/` asserts a duration.",
        "",
        "```bash",
        "make bench                 # quick sizes (CI's smoke run, a few minutes on 2 cores)",
        "make bench BENCH=full      # the issue's sizes: 1,000 and 10,000 tenants (or ARGS=--full)",
        "make bench ARGS='--only P2,P5'",
        "```",
        "",
        f"**This page shows a {result['mode']} run** of {result['generated_at'][:16]} UTC "
        f"({result['duration_seconds'] / 60:.1f} min on {result['machine']['cpus']} CPUs, "
        f"PostgreSQL {result['machine'].get('postgres', '?')}, commit "
        f"`{result['machine'].get('commit', '?')}`). "
        + (
            "Quick sizes are much smaller than the ones the targets are stated for (see each "
            "row's sizes), so size-bound rows (P3, P4) say little about the targets there."
            if result["mode"] == "quick"
            else ""
        ),
        "",
        f"Targets met: {', '.join(met) or 'none'}. Not met: {', '.join(missed) or 'none'}.",
        "",
        "![Awan against its peers, one band per metric](performance.svg)",
        "",
        "## Results",
        "",
        *markdown_table(metrics),
        "",
        "Context (no target of their own):",
        "",
        *markdown_table(context),
        "",
        "ratio: in the terms of the row's target: a speed-up (peer ÷ Awan) where the target "
        'says "N× faster", else Awan ÷ peer (throughput, memory, cold start, "within x%"), '
        "or a difference (statements per request); `ratio_of` in the JSON says which.",
        "",
        "Notes:",
        "",
        *[f"- **{r['id']}**: {r['notes']}" for r in metrics + context if r.get("notes")],
        "",
        "## What each metric measures",
        "",
    ]
    for title, text in EXPLANATIONS:
        lines += [f"**{title}.** {text}", ""]
    lines += [
        "## How it is measured",
        "",
        "- Its own databases (`awan_bench`, plus `awan_bench_plain` for plain Django, "
        "`awan_bench_syn` for the 200-migration variant and `awan_bench_small` for P3's small "
        "fleet), created and dropped by each run, and "
        "its own Redis database (index 14), on `DATABASE_URL`/`REDIS_URL` or the embedded "
        "servers `make run` uses.",
        "- Every stack runs in processes of its own with its own settings: `bench/settings.py` "
        "(Awan, on the test settings), `bench/settings_tenants.py` (django-tenants' middleware, "
        "backend and defaults), `bench/settings_plain.py` (plain Django). Web measurements use "
        "real gunicorn processes with the Procfile's configuration; the load generator is wrk "
        "on loopback, or an open-loop Python sender for webhooks.",
        "- Tenants are built in bulk with Awan's fleet API (`bench/fleet.py`), never by "
        "thousands of signups; 200 extra migrations live in `bench/synthetic/`, never in the "
        "product.",
        "- Medians with min/max and repetitions; peers are measured alternately with Awan where "
        "the measurement allows. The machine's CPU may be shared: compare within a run.",
        "",
    ]
    return "\n".join(lines)


def write_docs(result: dict[str, Any]) -> None:
    SVG.write_text(svg(result))
    DOC.write_text(markdown(result))


if __name__ == "__main__":
    write_docs(json.loads(RESULTS.read_text()))
    print(f"wrote {DOC.relative_to(ROOT)} and {SVG.relative_to(ROOT)}")
