"""P7 webhooks: Stripe webhook intake latency at a fixed rate with the worker running on the
same machine, and how fast the worker processes events.

A real gunicorn (Awan, the Procfile's config) and a real `celery worker` (concurrency 2, as the
Procfile's default) on the bench's database and Redis; Stripe is tests/fakes/stripe_server.py's
fake API, in a process of its own (bench.stripe_fake), which the handlers call back to
(STRIPE_API_BASE). Events are `customer.subscription.updated` for subscriptions of the fleet's
tenants, signed like Stripe signs them (tests/fakes/stripe_server.sign_payload).

- Intake: an open-loop sender (Python threads) POSTs /billing/webhooks/stripe/ on the public
  host at a fixed rate; each request's latency is measured from the moment it was due to be
  sent, so a slow response delays nothing else and hides nothing (no coordinated omission).
- Worker rate: with the worker stopped, a backlog of events is posted; then a worker is
  started and the rate is (events - 1) / (last processed_at - first processed_at), from the
  billing_stripeevent rows.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import fleet
from bench.common import (
    AWAN,
    BIN,
    PYTHON,
    ROOT,
    BenchError,
    Context,
    Gunicorn,
    Row,
    Stats,
    percentile,
    pg_query,
    say,
)

DB = "awan_bench"
WEBHOOK_PATH = "/billing/webhooks/stripe/"
SECRET = "whsec_bench_awan"
SUBSCRIPTIONS = 50
SENDER_THREADS = 32


@dataclass
class Sent:
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    lateness_ms: list[float] = field(default_factory=list)  # how late the sender started each
    lock: threading.Lock = field(default_factory=threading.Lock)


def _post(port: int, body: bytes, signature: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request(
            "POST",
            WEBHOOK_PATH,
            body=body,
            headers={
                "Host": "localhost",
                "Content-Type": "application/json",
                "Stripe-Signature": signature,
            },
        )
        response = conn.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        conn.close()


class Events:
    """Signed `customer.subscription.updated` events about the fake API's subscriptions."""

    def __init__(self, subscriptions: list[dict[str, Any]]) -> None:
        self.subscriptions = subscriptions

    def payload(self, event_id: str, n: int) -> tuple[bytes, str]:
        from tests.fakes.stripe_server import sign_payload

        event = {
            "id": event_id,
            "object": "event",
            "type": "customer.subscription.updated",
            "created": int(time.time()),
            "livemode": False,
            "api_version": "2025-09-30.clover",
            "data": {"object": self.subscriptions[n % len(self.subscriptions)]},
        }
        body = json.dumps(event).encode()
        return body, sign_payload(body, SECRET)


def open_loop(port: int, events: Events, *, prefix: str, rate: int, seconds: int) -> Sent:
    total = rate * seconds
    sent = Sent()
    counter = iter(range(total))
    counter_lock = threading.Lock()
    start = time.perf_counter() + 0.5

    def sender() -> None:
        while True:
            with counter_lock:
                n = next(counter, None)
            if n is None:
                return
            body, signature = events.payload(f"{prefix}{n:06d}", n)
            due = start + n / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            status = _post(port, body, signature)
            done = time.perf_counter()
            with sent.lock:
                sent.latencies_ms.append((done - due) * 1000)
                sent.lateness_ms.append(max(0.0, began - due) * 1000)
                sent.statuses[status] = sent.statuses.get(status, 0) + 1

    threads = [threading.Thread(target=sender) for _ in range(SENDER_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sent


def closed_loop(port: int, events: Events, *, prefix: str, count: int) -> dict[int, int]:
    statuses: dict[int, int] = {}
    counter = iter(range(count))
    lock = threading.Lock()

    def sender() -> None:
        while True:
            with lock:
                n = next(counter, None)
            if n is None:
                return
            status = _post(port, *events.payload(f"{prefix}{n:06d}", n))
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    threads = [threading.Thread(target=sender) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


class Worker:
    def __init__(self, ctx: Context, env: dict[str, str], name: str) -> None:
        self.log = ctx.log_dir / f"{name}.log"
        self.popen = subprocess.Popen(
            [
                str(BIN / "celery"),
                "--app",
                "config.celery_app",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                "2",
                "--without-mingle",
                "--without-gossip",
                "--hostname",
                f"{name}@%h",
            ],
            env=env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while "ready." not in self.log.read_text(errors="replace"):
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"celery worker did not start; log {self.log}")
            time.sleep(0.1)

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)


def _status_counts(ctx: Context, prefix: str) -> dict[str, int]:
    rows = pg_query(
        ctx.db_url(DB),
        "SELECT status, count(*) FROM billing_stripeevent WHERE id LIKE %s GROUP BY status",
        [prefix + "%"],
    )
    return {status: int(n) for status, n in rows}


def _wait_processed(ctx: Context, prefix: str, count: int, timeout: float) -> dict[str, int]:
    deadline = time.monotonic() + timeout
    while True:
        counts = _status_counts(ctx, prefix)
        done = sum(n for status, n in counts.items() if status != "pending")
        if done >= count or time.monotonic() > deadline:
            return counts
        time.sleep(0.25)


def _drain_rate(ctx: Context, prefix: str) -> tuple[float, int]:
    rows = pg_query(
        ctx.db_url(DB),
        "SELECT count(*), extract(epoch FROM max(processed_at) - min(processed_at)) "
        "FROM billing_stripeevent WHERE id LIKE %s AND status = 'processed'",
        [prefix + "%"],
    )
    count, span = int(rows[0][0]), float(rows[0][1] or 0)
    return ((count - 1) / span if span > 0 else 0.0), count


class FakeStripe:
    """bench.stripe_fake in a process of its own."""

    def __init__(self, ctx: Context, count: int) -> None:
        handle, path = tempfile.mkstemp(suffix=".json")
        os.close(handle)
        self.path = Path(path)
        self.path.write_text("")
        log = ctx.log_dir / "p7-stripe-fake.log"
        self.popen = subprocess.Popen(
            [PYTHON, "-m", "bench.stripe_fake", str(self.path), str(count)],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            cwd=ROOT,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while not self.path.read_text():
            if self.popen.poll() is not None or time.monotonic() > deadline:
                raise BenchError(f"the fake Stripe API did not start; log {log}")
            time.sleep(0.05)
        info = json.loads(self.path.read_text())
        self.url: str = info["url"]
        self.price: str = info["price"]
        self.subscriptions: list[dict[str, Any]] = info["subscriptions"]

    def stop(self) -> None:
        self.popen.terminate()
        self.popen.wait(timeout=10)
        self.path.unlink(missing_ok=True)


def _link_subscriptions(ctx: Context, subscriptions: list[dict[str, Any]]) -> None:
    """Give fleet tenants the fake API's customers and subscriptions."""
    for index, sub in enumerate(subscriptions):
        pg_query(
            ctx.db_url(DB),
            "UPDATE billing_subscription SET stripe_customer_id = %s, "
            "stripe_subscription_id = %s WHERE tenant_id = "
            "(SELECT id FROM tenants_tenant WHERE subdomain = %s)",
            [sub["customer"], sub["id"], fleet.subdomain(index)],
        )


def _server_durations(log: Path, offset: int) -> list[float]:
    """duration_ms of the webhook requests the app logged (config.logs) after `offset`."""
    with log.open("rb") as stream:
        stream.seek(offset)
        text = stream.read().decode(errors="replace")
    pattern = re.compile(r'path="' + re.escape(WEBHOOK_PATH) + r'" status=\d+ duration_ms=(\d+)')
    return [float(m) for m in pattern.findall(text)]


def _flush_redis(ctx: Context) -> None:
    import redis

    from config.settings.base import redis_url_for

    redis.Redis.from_url(redis_url_for(ctx.redis_url, db=ctx.redis_db)).flushdb()


def run(ctx: Context) -> list[Row]:
    sizes = ctx.sizes
    fleet.ensure_fleet(ctx, 1, db=DB)
    say(
        f"P7: webhooks at {sizes.p7_rate}/s for {sizes.p7_seconds} s, then a backlog of "
        f"{sizes.p7_backlog}"
    )
    stripe = FakeStripe(ctx, min(SUBSCRIPTIONS, ctx.fleet_size))
    try:
        _link_subscriptions(ctx, stripe.subscriptions)
        events = Events(stripe.subscriptions)
        stripe_env = {
            "STRIPE_SECRET_KEY": "sk_test_bench",
            "STRIPE_PUBLISHABLE_KEY": "pk_test_bench",
            "STRIPE_WEBHOOK_SECRET": SECRET,
            "STRIPE_API_BASE": stripe.url,
            "STRIPE_PRICE_TEAM": stripe.price,
            "CELERY_CONCURRENCY": "2",
        }
        env = ctx.env(AWAN, DB, **stripe_env)
        _flush_redis(ctx)  # tasks earlier phases queued (welcome emails, pool refills)
        web = Gunicorn(
            ctx, name="p7-web", settings=AWAN, db=DB, workers=sizes.web_workers, env=stripe_env
        )
        worker: Worker | None = None
        p99s, p50s, lateness, bad, rates, backlog_counts = [], [], [], 0, [], {}
        server_ms: list[float] = []
        try:
            web.start()
            web.wait_for("/healthz", "localhost")
            token = secrets.token_hex(4)  # event ids never repeat across bench runs
            for run_index in range(sizes.p7_runs):
                worker = Worker(ctx, env, f"p7-worker-{run_index}")
                prefix = f"evt_bench_{token}_{run_index}_live_"
                _post(web.port, *events.payload(f"{prefix}warmup", 0))  # warm-up
                log_from = web.log.stat().st_size
                sent = open_loop(
                    web.port, events, prefix=prefix, rate=sizes.p7_rate, seconds=sizes.p7_seconds
                )
                server_ms += _server_durations(web.log, log_from)
                p99s.append(percentile(sent.latencies_ms, 99))
                p50s.append(percentile(sent.latencies_ms, 50))
                lateness.append(percentile(sent.lateness_ms, 99))
                bad += sum(n for status, n in sent.statuses.items() if status != 200)
                _wait_processed(ctx, prefix, sizes.p7_rate * sizes.p7_seconds, timeout=120)
                worker.stop()
                worker = None

                backlog = f"evt_bench_{token}_{run_index}_backlog_"
                _flush_redis(ctx)
                statuses = closed_loop(web.port, events, prefix=backlog, count=sizes.p7_backlog)
                bad += sum(n for status, n in statuses.items() if status != 200)
                worker = Worker(ctx, env, f"p7-drain-{run_index}")
                backlog_counts = _wait_processed(ctx, backlog, sizes.p7_backlog, timeout=300)
                rate, _ = _drain_rate(ctx, backlog)
                rates.append(rate)
                worker.stop()
                worker = None
        finally:
            if worker is not None:
                worker.stop()
            web.stop()
    finally:
        stripe.stop()
    common = {
        "rate_per_second": sizes.p7_rate,
        "seconds": sizes.p7_seconds,
        "runs": sizes.p7_runs,
        "backlog": sizes.p7_backlog,
        "gunicorn_workers": sizes.web_workers,
        "celery_concurrency": 2,
    }
    return [
        Row(
            "P7.1",
            f"Stripe webhook intake p99 at {sizes.p7_rate} events/s, worker running",
            "ms",
            Stats.of(p99s),
            target="p99 ≤ 50 ms",
            limit=lambda r: 50,
            check=lambda r: bad == 0,
            sizes=common,
            notes=(
                f"latency from each request's scheduled send time (open loop): p50 "
                f"{Stats.of(p50s).median:.0f} ms. The app's own logged durations: p50 "
                f"{percentile(server_ms, 50):.0f} ms, p99 {percentile(server_ms, 99):.0f} ms; "
                f"the rest is waiting for a free web worker"
                if server_ms
                else "latency from each request's scheduled send time (open loop)"
            ),
            extra={
                "p50_ms": round(Stats.of(p50s).median, 2),
                "non_200": bad,
                "sender_lateness_p99_ms": round(Stats.of(lateness).median, 2),
                "app_logged_p50_ms": percentile(server_ms, 50) if server_ms else None,
                "app_logged_p99_ms": percentile(server_ms, 99) if server_ms else None,
            },
        ),
        Row(
            "P7.2",
            "worker drain rate (a backlog of events)",
            "events/s",
            Stats.of(rates),
            target="≥ 300 events/s",
            limit=lambda r: 300,
            better="higher",
            sizes=common,
            extra={"backlog_statuses": backlog_counts},
        ),
    ]
