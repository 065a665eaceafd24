"""The Procfile itself, started by honcho: sign up over HTTP, follow the handoff, see the
dashboard; a task queued by web is consumed by worker."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import BIN, ROOT, free_port, http_ok, process_env, wait_until

pytestmark = pytest.mark.e2e


def test_procfile_declares_web_worker_and_release():
    kinds = {line.split(":", 1)[0] for line in (ROOT / "Procfile").read_text().splitlines() if line}
    assert {"web", "worker", "beat", "release"} <= kinds


def test_honcho_runs_web_and_worker_and_a_signup_reaches_the_tenant_dashboard(
    live_db, start_process
):
    port = free_port()
    honcho = start_process(
        [str(BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"), "web", "worker"],
        name="honcho",
        env=process_env(PORT=str(port)),
    )
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: http_ok(f"{base}/healthz"), timeout=45, what="web from the Procfile")
    wait_until(lambda: "ready." in honcho.output(), timeout=45, what="worker from the Procfile")

    public = requests.Session()
    form = public.get(f"{base}/signup/", headers={"Host": f"localhost:{port}"})
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    signup = public.post(
        f"{base}/signup/",
        headers={"Host": f"localhost:{port}", "Referer": f"http://localhost:{port}/signup/"},
        data={
            "csrfmiddlewaretoken": csrf,
            "organization_name": "Procfile Co",
            "subdomain": "procfile-co",
            "email": "ops@procfile.test",
            "password": "a-long-procfile-password",
        },
        allow_redirects=False,
    )
    assert signup.status_code == 302, signup.text
    handoff = signup.headers["Location"]
    assert handoff.startswith(f"http://procfile-co.localhost:{port}/auth/handoff/")

    tenant = requests.Session()
    tenant_host = {"Host": f"procfile-co.localhost:{port}"}
    path = handoff.split(f":{port}", 1)[1]
    landed = tenant.get(f"{base}{path}", headers=tenant_host, allow_redirects=False)
    assert landed.status_code == 302 and landed.headers["Location"] == "/"
    dashboard = tenant.get(f"{base}/", headers=tenant_host, allow_redirects=False)
    assert dashboard.status_code == 200
    assert "ops@procfile.test" in dashboard.text
    assert "Procfile Co" in dashboard.text

    # The worker picked up the welcome email that web queued after the signup committed.
    wait_until(
        lambda: "Welcome to Awan, Procfile Co" in honcho.output(),
        timeout=30,
        what="the worker to send the welcome email",
    )
    # Each line below is written by a process and passed through honcho's pipes, so it can
    # reach the log after the response or the email did: wait for it rather than race it.
    honcho.wait_for_line(
        r"web\.1 .*schema=t_procfile_co request_id=\w+ method=GET path=\"/\" status=200"
    )
    honcho.wait_for_line(r"worker\.1 .*schema=t_procfile_co request_id=[\w-]+ .*succeeded")
    # Each request is logged once: the app's line (schema, request id, client), no access line.
    request_id = dashboard.headers["X-Request-ID"]
    lines = [line for line in honcho.output().splitlines() if request_id in line]
    assert len(lines) == 1, lines
    assert "logger=gunicorn.access" not in honcho.output()
    # The handoff token is a one-time secret: it never reaches the log.
    token = path.rstrip("/").rsplit("/", 1)[1]
    assert token not in honcho.output()
    assert 'path="/auth/handoff/[redacted]/"' in honcho.output()


def test_healthz_is_503_when_the_database_is_unreachable(start_process, seeded_tenants):
    port = free_port()
    start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", str(Path("config/gunicorn.conf.py"))],
        name="gunicorn-nodb",
        env=process_env(
            PORT=str(port),
            DATABASE_URL="postgres://postgres@127.0.0.1:1/awan",
            DB_CONNECT_TIMEOUT="1",
        ),
    )
    wait_until(
        lambda: http_ok(f"http://127.0.0.1:{port}/healthz") or _is_503(port),
        timeout=30,
        what="gunicorn to answer",
    )
    response = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
    assert response.status_code == 503
    assert response.json()["database"].startswith("down")
    assert response.json()["broker"] == "ok"


def _is_503(port: int) -> bool:
    try:
        return requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 503
    except requests.RequestException:
        return False


def test_two_workers_from_the_procfile_have_distinct_names(live_db, start_process):
    honcho = start_process(
        [str(BIN / "honcho"), "start", "-f", str(ROOT / "Procfile"), "-c", "worker=2", "worker"],
        name="honcho-workers",
        env=process_env(PORT=str(free_port())),
    )
    honcho.wait_for_line(r"worker\.1@\S+ ready", timeout=45)
    honcho.wait_for_line(r"worker\.2@\S+ ready", timeout=45)
    assert "DuplicateNodenameWarning" not in honcho.output()
