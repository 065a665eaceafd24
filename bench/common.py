"""What every benchmark family shares: statistics, result rows, the run's context (services,
databases, sizes), and helpers to start Django jobs, manage.py commands, gunicorn and wrk.

The runner process never configures Django: each measurement that needs Django runs in a
process of its own with the settings it needs (`run_job`), so Awan, django-tenants' defaults
and plain Django never share a process.
"""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
BIN = Path(sys.executable).parent
LOGS = ROOT / "test-artifacts" / "bench"

AWAN = "bench.settings"
TENANTS = "bench.settings_tenants"
PLAIN = "bench.settings_plain"

# --- statistics ----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100), linear between closest ranks."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Stats:
    median: float
    min: float
    max: float
    reps: int

    @classmethod
    def of(cls, values: Iterable[float]) -> Stats:
        data = list(values)
        if not data:
            raise ValueError("no values")
        return cls(statistics.median(data), min(data), max(data), len(data))

    @classmethod
    def single(cls, value: float) -> Stats:
        return cls(value, value, value, 1)


# --- result rows -----------------------------------------------------------------------------


@dataclass
class Row:
    """One line of the table. `awan`/`peer` are medians; the ratio says how many times better
    Awan is ("peer/awan" for times and memory, "awan/peer" for throughput)."""

    id: str
    name: str
    unit: str
    awan: Stats
    peer: Stats | None = None
    peer_name: str = ""
    ratio_of: str = "peer/awan"  # or "awan/peer", or "awan-peer" (a difference)
    target: str | None = None
    # The target in the row's own unit: Awan's median must be at most (better="lower") or at
    # least (better="higher") this. `check` adds conditions a number can't say (no errors).
    limit: Callable[[Row], float] | None = None
    better: str = "lower"
    check: Callable[[Row], bool] | None = None
    sizes: dict[str, Any] = field(default_factory=dict)
    notes: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.peer is None:
            return None
        if self.ratio_of == "awan-peer":
            return self.awan.median - self.peer.median
        num, den = (
            (self.peer.median, self.awan.median)
            if self.ratio_of == "peer/awan"
            else (self.awan.median, self.peer.median)
        )
        return num / den if den else None

    @property
    def limit_value(self) -> float | None:
        return None if self.limit is None else float(self.limit(self))

    @property
    def met(self) -> bool | None:
        if self.limit is None and self.check is None:
            return None
        value = self.awan.median
        if value != value:  # NaN: not measured
            return False
        ok = True
        limit = self.limit_value
        if limit is not None:
            ok = value <= limit if self.better == "lower" else value >= limit
        if self.check is not None:
            ok = ok and bool(self.check(self))
        return ok

    def as_json(self) -> dict[str, Any]:
        def rounded(value: float | None) -> float | None:
            return None if value is None or value != value else round(value, 4)

        out: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "awan": rounded(self.awan.median),
            "peer": rounded(self.peer.median) if self.peer else None,
            "peer_name": self.peer_name or None,
            "unit": self.unit,
            "ratio": rounded(self.ratio),
            "ratio_of": self.ratio_of if self.peer else None,
            "target": self.target,
            "limit": rounded(self.limit_value),
            "better": self.better,
            "met": self.met,
            "median": rounded(self.awan.median),
            "min": rounded(self.awan.min),
            "max": rounded(self.awan.max),
            "reps": self.awan.reps,
            "awan_stats": {k: rounded(v) for k, v in asdict(self.awan).items()},
            "peer_stats": (
                {k: rounded(v) for k, v in asdict(self.peer).items()} if self.peer else None
            ),
            "sizes": self.sizes,
        }
        if self.notes:
            out["notes"] = self.notes
        if self.extra:
            out["extra"] = self.extra
        return out


def peer_of(row: Row) -> float:
    """The peer's median, for targets stated relative to it."""
    if row.peer is None:
        raise ValueError(f"{row.id} has no peer")
    return row.peer.median


def failed_row(row_id: str, name: str, unit: str, target: str | None, error: str) -> Row:
    """A row whose measurement could not be taken: reported as not met, with the reason."""
    nan = float("nan")
    return Row(
        row_id,
        name,
        unit,
        Stats(nan, nan, nan, 0),
        target=target,
        check=(lambda _: False) if target else None,
        notes=f"not measured: {error}",
    )


# --- the run's context -----------------------------------------------------------------------


@dataclass(frozen=True)
class Sizes:
    """Every size the run uses; `quick` for CI's smoke run, `full` for the issue's numbers."""

    mode: str
    p1_awan_reps: int
    p1_peer_reps: int
    p1_synthetic_peer_reps: int
    p1_post_reps: int
    p2_seconds: int
    p2_rounds: int
    p2_connections: int
    web_workers: int
    p3_small: int
    p3_large: int
    p3_signup_reps: int
    p4_tenants: int
    p4_noop_reps: int
    p4_peer_noop_reps: int
    p4_big: int
    p5_reps: int
    p6_tenants: int
    p6_reminders_due: int
    p6_expired: int
    p6_reps: int
    p7_rate: int
    p7_seconds: int
    p7_backlog: int
    p7_runs: int
    p8_reps: int
    build_jobs: int
    fleet_jobs: int

    @classmethod
    def quick(cls) -> Sizes:
        return cls(
            mode="quick",
            p1_awan_reps=20,
            p1_peer_reps=3,
            p1_synthetic_peer_reps=2,
            p1_post_reps=5,
            p2_seconds=3,
            p2_rounds=3,
            p2_connections=4,
            web_workers=2,
            p3_small=10,
            p3_large=100,
            p3_signup_reps=10,
            p4_tenants=20,
            p4_noop_reps=3,
            p4_peer_noop_reps=1,
            p4_big=100,
            p5_reps=3,
            p6_tenants=10_000,
            p6_reminders_due=8_471,
            p6_expired=500,
            p6_reps=1,
            p7_rate=200,
            p7_seconds=5,
            p7_backlog=600,
            p7_runs=1,
            p8_reps=3,
            build_jobs=3,
            fleet_jobs=2,
        )

    @classmethod
    def full(cls) -> Sizes:
        return cls(
            mode="full",
            p1_awan_reps=50,
            p1_peer_reps=5,
            p1_synthetic_peer_reps=3,
            p1_post_reps=15,
            p2_seconds=10,
            p2_rounds=5,
            p2_connections=4,
            web_workers=2,
            p3_small=10,
            p3_large=10_000,
            p3_signup_reps=20,
            p4_tenants=1_000,
            p4_noop_reps=3,
            p4_peer_noop_reps=1,
            p4_big=10_000,
            p5_reps=5,
            p6_tenants=10_000,
            p6_reminders_due=8_471,
            p6_expired=500,
            p6_reps=3,
            p7_rate=200,
            p7_seconds=10,
            p7_backlog=3_000,
            p7_runs=3,
            p8_reps=5,
            build_jobs=3,
            fleet_jobs=2,
        )


@dataclass
class Context:
    """Where the run's services are, its databases, and its sizes."""

    server_url: str  # DATABASE_URL of the PostgreSQL server (any database on it)
    redis_url: str  # REDIS_URL of the Redis server, without a database index
    redis_db: int
    sizes: Sizes
    log_dir: Path = LOGS
    fleet_size: int = 0  # tenants the fleet currently has (bench.fleet)

    def db_url(self, name: str) -> str:
        return with_db(self.server_url, name)

    def env(self, settings: str, db: str, **extra: str) -> dict[str, str]:
        from config.settings.base import redis_url_for

        env = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith(("BENCH_", "AWAN_TEST_", "STRIPE_", "DJANGO_"))
        }
        env.update(
            DJANGO_SETTINGS_MODULE=settings,
            DATABASE_URL=self.db_url(db),
            REDIS_URL=redis_url_for(self.redis_url, db=self.redis_db),
            AWAN_BENCH_REDIS_DB=str(self.redis_db),
            PYTHONPATH=str(ROOT),
            PYTHONUNBUFFERED="1",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            PATH=os.pathsep.join([str(BIN), os.environ.get("PATH", "")]),
            DEBUG="false",
        )
        env.update(extra)
        return env


# --- databases -------------------------------------------------------------------------------


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def libpq(url: str) -> str:
    """A libpq conninfo for a DATABASE_URL (the embedded PostgreSQL's URL names a socket
    directory, percent-encoded, as its host)."""
    import dj_database_url

    cfg = dj_database_url.parse(url)
    fields = [f"dbname={cfg['NAME']}", f"user={cfg.get('USER') or 'postgres'}"]
    host = cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host", "")
    if host:
        fields.append(f"host={host}")
    if cfg.get("PORT"):
        fields.append(f"port={cfg['PORT']}")
    if cfg.get("PASSWORD"):
        fields.append(f"password={cfg['PASSWORD']}")
    return " ".join(fields)


def pg_connect(url: str, *, autocommit: bool = True) -> Any:
    import psycopg

    return psycopg.connect(libpq(url), autocommit=autocommit)


def database_recreate(server_url: str, name: str) -> None:
    with pg_connect(with_db(server_url, "postgres")) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')


def database_drop(server_url: str, name: str) -> None:
    with pg_connect(with_db(server_url, "postgres")) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_query(url: str, sql: str, params: Iterable[Any] | None = None) -> list[tuple]:
    with pg_connect(url) as conn:
        cursor = conn.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


# --- processes -------------------------------------------------------------------------------


class BenchError(RuntimeError):
    pass


def say(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def _log_path(ctx: Context, name: str) -> Path:
    ctx.log_dir.mkdir(parents=True, exist_ok=True)
    return ctx.log_dir / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.log"


def run_job(
    ctx: Context,
    module: str,
    job: str,
    *,
    settings: str = AWAN,
    db: str,
    args: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 3600,
) -> Any:
    """Run `job` of `bench.<module>` in a fresh Django process; return what it returned."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        out = Path(handle.name)
    log = _log_path(ctx, f"job-{module}-{job}")
    try:
        with log.open("a") as stream:
            stream.write(f"\n=== {time.strftime('%H:%M:%S')} {job} {args or {}}\n")
            stream.flush()
            result = subprocess.run(
                [PYTHON, "-m", f"bench.{module}", job, json.dumps(args or {}), str(out)],
                env=ctx.env(settings, db, **(env or {})),
                cwd=ROOT,
                stdout=stream,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
        if result.returncode != 0:
            tail = log.read_text(errors="replace")[-3000:]
            raise BenchError(f"job {module}.{job} failed ({result.returncode}); log {log}:\n{tail}")
        return json.loads(out.read_text())
    finally:
        out.unlink(missing_ok=True)


def run_manage(
    ctx: Context,
    args: list[str],
    *,
    settings: str = AWAN,
    db: str,
    env: dict[str, str] | None = None,
    log_name: str,
    timeout: float = 7200,
    check: bool = True,
) -> float:
    """Run `manage.py <args>` as a subprocess; return its wall-clock seconds."""
    log = _log_path(ctx, log_name)
    with log.open("a") as stream:
        stream.write(f"\n=== {time.strftime('%H:%M:%S')} manage.py {' '.join(args)}\n")
        stream.flush()
        started = time.perf_counter()
        result = subprocess.run(
            [PYTHON, str(ROOT / "manage.py"), *args],
            env=ctx.env(settings, db, **(env or {})),
            cwd=ROOT,
            stdout=stream,
            stderr=subprocess.STDOUT,
            timeout=timeout,
        )
        seconds = time.perf_counter() - started
    if check and result.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise BenchError(f"manage.py {' '.join(args)} failed; log {log}:\n{tail}")
    return seconds


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(port: int, path: str, host: str, timeout: float = 5) -> tuple[int, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


class Gunicorn:
    """A real gunicorn (the Procfile's `web`: config/gunicorn.conf.py) serving one stack."""

    def __init__(
        self,
        ctx: Context,
        *,
        name: str,
        settings: str,
        db: str,
        workers: int,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log = _log_path(ctx, f"gunicorn-{name}")
        self.env = ctx.env(
            settings,
            db,
            PORT=str(self.port),
            WEB_CONCURRENCY=str(workers),
            **(env or {}),
        )
        self.popen: subprocess.Popen | None = None
        self.started_at = 0.0

    def start(self) -> Gunicorn:
        self.started_at = time.perf_counter()
        self.popen = subprocess.Popen(
            [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self

    def wait_for(self, path: str, host: str, timeout: float = 60, interval: float = 0.01) -> float:
        """Poll until `path` on `host` answers 200; return seconds since start()."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise BenchError(f"gunicorn {self.name} exited; log {self.log}")
            status, _ = http_get(self.port, path, host, timeout=2)
            if status == 200:
                return time.perf_counter() - self.started_at
            time.sleep(interval)
        raise BenchError(f"gunicorn {self.name}: no 200 from {host}{path}; log {self.log}")

    def worker_pids(self) -> list[int]:
        if self.popen is None:
            return []
        return children(self.popen.pid)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(timeout=10)

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def children(pid: int) -> list[int]:
    pids: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            pids += [int(p) for p in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(pids))


# --- memory ----------------------------------------------------------------------------------


def memory_kib(pid: int) -> dict[str, int]:
    """Rss, Pss and USS (Private_Clean + Private_Dirty) of a process, from smaps_rollup; and the
    private memory outside shared mappings (PostgreSQL's shared buffers), from smaps."""
    rollup: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        match = re.match(r"^(\w+):\s+(\d+) kB", line)
        if match:
            rollup[match[1]] = int(match[2])
    private_unshared = 0
    shared_mapping = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = re.match(r"^[0-9a-f]+-[0-9a-f]+ (\S{4}) ", line)
        if head:
            shared_mapping = "s" in head[1]
            continue
        match = re.match(r"^Private_(?:Clean|Dirty):\s+(\d+) kB", line)
        if match and not shared_mapping:
            private_unshared += int(match[1])
    return {
        "rss": rollup.get("Rss", 0),
        "pss": rollup.get("Pss", 0),
        "uss": rollup.get("Private_Clean", 0) + rollup.get("Private_Dirty", 0),
        "private_unshared": private_unshared,
    }


# --- load generation -------------------------------------------------------------------------


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    requests: int
    non_2xx: int  # responses other than 2xx/3xx
    socket_errors: int
    latency_p50_ms: float | None
    latency_p99_ms: float | None

    def check(self, what: str) -> None:
        """Every response must be a 2xx/3xx; a handful of socket errors (wrk cutting requests
        short when its time is up) are tolerated."""
        if self.non_2xx or self.socket_errors > max(5, self.requests // 200):
            raise BenchError(
                f"{what}: {self.non_2xx} non-2xx responses and {self.socket_errors} socket "
                f"errors in {self.requests} requests"
            )


def _ms(text: str) -> float:
    match = re.match(r"([\d.]+)(us|ms|s)", text)
    if not match:
        return float("nan")
    value = float(match[1])
    return {"us": value / 1000, "ms": value, "s": value * 1000}[match[2]]


def wrk(
    port: int,
    path: str,
    *,
    hosts: list[str],
    seconds: int,
    connections: int,
    workdir: Path,
    threads: int = 1,
) -> WrkResult:
    """Closed-loop load on loopback with wrk: `connections` connections, Host headers taken
    round-robin from `hosts`, for `seconds`."""
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / f"wrk-{len(hosts)}-{hosts[0]}.lua"
    table = ",\n".join(f'  "{h}"' for h in hosts)
    script.write_text(
        f"local hosts = {{\n{table}\n}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        f'  return wrk.format("GET", "{path}", {{["Host"] = hosts[(n % #hosts) + 1]}})\n'
        "end\n"
    )
    result = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
    )
    text = result.stdout
    if result.returncode != 0 or "Requests/sec" not in text:
        raise BenchError(f"wrk failed: {result.stdout}\n{result.stderr}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text)[1])  # type: ignore[index]
    total = int(re.search(r"(\d+) requests in", text)[1])  # type: ignore[index]
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    p50 = re.search(r"^\s+50%\s+(\S+)", text, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", text, re.M)
    return WrkResult(
        rps,
        total,
        int(non2xx[1]) if non2xx else 0,
        sum(int(errors[i]) for i in range(1, 5)) if errors else 0,
        _ms(p50[1]) if p50 else None,
        _ms(p99[1]) if p99 else None,
    )


# --- Django-side jobs ------------------------------------------------------------------------


def job_main(jobs: dict[str, Callable[..., Any]]) -> None:
    """Entry point of `python -m bench.<module> <job> <json args> <out path>`: set Django up,
    run the job, write what it returns as JSON."""
    import django

    name, raw_args, out = sys.argv[1], sys.argv[2], sys.argv[3]
    if name not in jobs:
        raise SystemExit(f"unknown job {name!r}; have {', '.join(sorted(jobs))}")
    django.setup()
    result = jobs[name](**json.loads(raw_args))
    Path(out).write_text(json.dumps(result))
