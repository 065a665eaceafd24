"""P5 cold start: the Procfile's `web` (gunicorn, config/gunicorn.conf.py) from exec to the
first 200 on a tenant page, and a web worker's memory after serving.

Awan serves the bench view on a tenant host (fl00000.localhost, its full middleware); the peer
is plain Django serving the same view (bench.settings_plain), with the same gunicorn config and
worker count. Each rep starts a fresh gunicorn and polls every 10 ms; reps alternate between the
two stacks, after one untimed start of each (bytecode and the OS file cache warm, as on a dyno
that restarts). Memory: after 20 more requests, RSS, PSS and USS (Private_Clean+Private_Dirty)
of each worker from /proc/<pid>/smaps_rollup; the worker with the largest PSS is reported.
"""

from __future__ import annotations

from typing import Any

from bench import fleet
from bench.common import (
    AWAN,
    PLAIN,
    BenchError,
    Context,
    Gunicorn,
    Row,
    Stats,
    http_get,
    memory_kib,
    peer_of,
    say,
)
from bench.p2_routing import PATH, PLAIN_DB, prepare_plain

DB = "awan_bench"
MIB = 1024


def _start_once(ctx: Context, stack: str) -> tuple[float, dict[str, int]]:
    settings, db, host = (
        (AWAN, DB, fleet.host(0)) if stack == "awan" else (PLAIN, PLAIN_DB, "localhost")
    )
    server = Gunicorn(
        ctx, name=f"p5-{stack}", settings=settings, db=db, workers=ctx.sizes.web_workers
    )
    with server:
        seconds = server.wait_for(PATH, host, interval=0.01)
        for _ in range(20):
            if http_get(server.port, PATH, host)[0] != 200:
                raise BenchError(f"P5 {stack}: a request after the first failed")
        workers = [memory_kib(pid) for pid in server.worker_pids()]
    if not workers:
        raise BenchError(f"P5 {stack}: no gunicorn worker processes found")
    return seconds, max(workers, key=lambda m: m["pss"])


def run(ctx: Context, *, plain_ready: bool = False) -> list[Row]:
    sizes = ctx.sizes
    fleet.ensure_fleet(ctx, 1, db=DB)
    if not plain_ready:
        prepare_plain(ctx)
    say(f"P5: cold start, {sizes.p5_reps} starts per stack")
    for stack in ("awan", "plain"):
        _start_once(ctx, stack)  # untimed
    times: dict[str, list[float]] = {"awan": [], "plain": []}
    memory: dict[str, list[dict[str, int]]] = {"awan": [], "plain": []}
    for _ in range(sizes.p5_reps):
        for stack in ("awan", "plain"):
            seconds, mem = _start_once(ctx, stack)
            times[stack].append(seconds)
            memory[stack].append(mem)

    def mib(stack: str, key: str) -> Stats:
        return Stats.of([m[key] / MIB for m in memory[stack]])

    extra: dict[str, Any] = {
        stack: {key: round(mib(stack, key).median, 2) for key in ("rss", "pss", "uss")}
        for stack in memory
    }
    common = {"gunicorn_workers": sizes.web_workers, "starts": sizes.p5_reps}
    return [
        Row(
            "P5.1",
            "`web` start → first 200 on a tenant page",
            "s",
            Stats.of(times["awan"]),
            Stats.of(times["plain"]),
            "plain Django (same view, same gunicorn config)",
            ratio_of="awan/peer",
            target="≤ 1 s and ≤ 1.2× plain Django",
            limit=lambda r: min(1, 1.2 * peer_of(r)),
            sizes=common,
        ),
        Row(
            "P5.2",
            "web worker memory after serving (PSS)",
            "MiB",
            mib("awan", "pss"),
            mib("plain", "pss"),
            "plain Django worker",
            ratio_of="awan/peer",
            target="≤ 1.1× plain Django",
            limit=lambda r: 1.1 * peer_of(r),
            sizes=common,
            notes="MiB, median of starts: Awan RSS {rss_a} / USS {uss_a}, plain Django RSS "
            "{rss_p} / USS {uss_p}".format(
                rss_a=extra["awan"]["rss"],
                uss_a=extra["awan"]["uss"],
                rss_p=extra["plain"]["rss"],
                uss_p=extra["plain"]["uss"],
            ),
            extra=extra,
        ),
    ]
