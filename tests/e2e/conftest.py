"""Real processes for end-to-end tests: gunicorn, celery workers, honcho, a browser.

Processes get the test database and the tests' Redis database through DATABASE_URL and
REDIS_URL, exactly as a deploy would, and are always stopped at teardown.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connections

from config.settings.base import redis_url_for
from tests.conftest import database_url

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ARTIFACTS = ROOT / "test-artifacts"
# One quiet worker process: consumes the tests' queue, no chatter with other workers.
WORKER_ARGS = [
    "--app",
    "config.celery_app",
    "worker",
    "--loglevel",
    "INFO",
    "--concurrency",
    "1",
    "--without-mingle",
    "--without-gossip",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def process_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        # The test settings: same password hasher and Redis database as this process.
        DJANGO_SETTINGS_MODULE="config.settings.test",
        DATABASE_URL=database_url(),
        REDIS_URL=redis_url_for(settings.REDIS_URL, db=settings.TEST_REDIS_DB),
        SECRET_KEY=settings.SECRET_KEY,
        DEBUG="false",
        EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
        PYTHONUNBUFFERED="1",
        PATH=os.pathsep.join([str(BIN), env.get("PATH", "")]),
        # Never inherit a developer's real Stripe keys: tests opt in to the fake server.
        STRIPE_SECRET_KEY="",
        STRIPE_PUBLISHABLE_KEY="",
        STRIPE_WEBHOOK_SECRET="",
        STRIPE_API_BASE="",
    )
    env.update(extra)
    return env


def wait_until(check: Callable[[], bool], *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def http_ok(url: str, host: str | None = None) -> bool:
    try:
        headers = {"Host": host} if host else {}
        return requests.get(url, headers=headers, timeout=2).status_code < 500
    except requests.RequestException:
        return False


class Proc:
    """A started process whose output goes to a log file we can read and assert on."""

    def __init__(self, args: list[str], env: dict[str, str], name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.name = name
        self.log_path = ARTIFACTS / f"{name}.log"
        self._log = self.log_path.open("w")
        self.popen = subprocess.Popen(
            args,
            env=env,
            cwd=ROOT,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        self._log.flush()
        return self.log_path.read_text()

    def wait_for_line(self, pattern: str, *, timeout: float = 15) -> None:
        """Wait for a log line matching `pattern`. A line reaches the file some time after the
        event it describes (the process, then honcho, write it through pipes), so a log
        assertion made right after an HTTP response or a DB change would race it."""
        wait_until(
            lambda: re.search(pattern, self.output()) is not None,
            timeout=timeout,
            what=f"a line matching {pattern!r} from {self.name}",
        )

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 25) -> int:
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, sig)
            try:
                self.popen.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.popen.pid, signal.SIGKILL)
                self.popen.wait(5)
        self._log.close()
        return self.popen.returncode


@pytest.fixture
def start_process() -> Iterator[Callable[..., Proc]]:
    started: list[Proc] = []

    def start(args: list[str], *, name: str, env: dict[str, str] | None = None) -> Proc:
        proc = Proc(args, env or process_env(), name)
        started.append(proc)
        return proc

    yield start
    for proc in reversed(started):
        proc.stop()


@pytest.fixture
def server_port() -> int:
    """The port this test's web server listens on; the worker builds its links with it too."""
    return free_port()


@pytest.fixture
def live_server_url(live_db, start_process, server_port) -> str:
    """A real gunicorn serving the test database on a free port; returns http://localhost:PORT."""
    port = server_port
    start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
        name=f"gunicorn-{port}",
        env=process_env(PORT=str(port), WEB_CONCURRENCY="2"),
    )
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: http_ok(f"{url}/healthz"), timeout=30, what="gunicorn to answer /healthz")
    return f"http://localhost:{port}"


@pytest.fixture
def celery_worker(live_db, start_process, server_port) -> Proc:
    """A real `celery worker` process consuming the tests' Redis database. Links in the emails
    it sends point at this test's web server, as SITE_URL does in a deploy."""
    worker = start_process(
        [str(BIN / "celery"), *WORKER_ARGS],
        name="celery-worker",
        env=process_env(SITE_URL=f"http://localhost:{server_port}"),
    )
    wait_until(lambda: "ready." in worker.output(), timeout=30, what="the celery worker")
    return worker


# The real-browser tests (test_browser.py, test_billing_browser.py, test_beta_browser.py) use
# Debian's Chromium: never `playwright install`. Without it they skip, unless
# AWAN_REQUIRE_BROWSER=1 (CI), where a missing browser is a failure. Their plain helpers are in
# tests/e2e/browser.py.
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEFAULT_TIMEOUT_MS = 20_000


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not CHROMIUM.exists():
        reason = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("AWAN_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{reason}; AWAN_REQUIRE_BROWSER=1 requires the browser tests to run")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # While Playwright's sync API is up, it marks its asyncio loop as running on this thread
    # between calls. Django then takes the fixtures' own database work (live_db) for async
    # code: its guard raises SynchronousOnlyOperation, and `connections` hands out separate,
    # context-local connections. No Django code runs on that loop, so the guard may be lifted;
    # the extra connections must be closed before the loop stops, or they hold the test
    # database open and its DROP at the end of the session fails. Module scope keeps all of
    # this away from the rest of the suite.
    with pytest.MonkeyPatch.context() as mp, sync_playwright() as p:
        mp.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
            connections.close_all()


@pytest.fixture
def page(browser) -> Iterator:
    """A fresh browser context (no cookies) and page per test."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    context.set_default_navigation_timeout(DEFAULT_TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()
