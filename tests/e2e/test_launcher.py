"""`make run`'s launcher on a bare machine: no DATABASE_URL/REDIS_URL, so it starts embedded
PostgreSQL and Redis, migrates, bootstraps, serves web + worker; Ctrl+C stops everything;
a second run reuses the data."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import ROOT, free_port, http_ok, wait_until

pytestmark = pytest.mark.e2e


def _launch(data_dir: Path, port: int, log: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(AWAN_DATA_DIR=str(data_dir), PORT=str(port), DJANGO_SETTINGS_MODULE="")
    env.pop("DJANGO_SETTINGS_MODULE")
    return subprocess.Popen(
        [sys.executable, "-m", "config.devenv", "run"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group, like a terminal's foreground job
    )


def _ctrl_c(proc: subprocess.Popen) -> int:
    os.killpg(proc.pid, signal.SIGINT)
    return proc.wait(timeout=40)


def _postgres_running(data_dir: Path) -> bool:
    pid_file = data_dir / "pg" / "postmaster.pid"
    if not pid_file.exists():
        return False
    pid = int(pid_file.read_text().splitlines()[0])
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def test_make_run_bootstraps_embedded_services_serves_and_stops_cleanly_on_ctrl_c():
    data_dir = Path(tempfile.mkdtemp(prefix="awan-", dir="/tmp"))  # short: unix socket paths
    port = free_port()
    log = ROOT / "test-artifacts" / "launcher.log"
    log.parent.mkdir(exist_ok=True)
    proc = _launch(data_dir, port, log)
    try:
        wait_until(
            lambda: http_ok(f"http://127.0.0.1:{port}/healthz"),
            timeout=120,
            what="make run to serve",
        )
        output = log.read_text()
        assert "embedded PostgreSQL" in output and "embedded Redis" in output
        assert f"public site:  http://localhost:{port}/" in output
        assert f"demo tenant:  http://demo.localhost:{port}/" in output
        # The console advertises addresses a browser can open, never the bind address.
        wait_until(lambda: "web ready on port" in log.read_text(), timeout=30, what="web ready")
        assert "0.0.0.0" not in log.read_text()
        assert f"open http://localhost:{port}/" in log.read_text()
        health = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()
        assert health == {"status": "ok", "database": "ok", "broker": "ok"}
        demo = requests.get(
            f"http://127.0.0.1:{port}/login/", headers={"Host": f"demo.localhost:{port}"}, timeout=5
        )
        assert demo.status_code == 200 and "Log in to Demo Co" in demo.text
        assert (data_dir / "redis" / "redis.sock").exists()
        assert _postgres_running(data_dir)

        # Ctrl+C is how you stop it: a clean exit, so `make` reports no "Error 130".
        assert _ctrl_c(proc) == 0

        assert not http_ok(f"http://127.0.0.1:{port}/healthz")
        assert not _postgres_running(data_dir)
        assert not (data_dir / "redis" / "redis.sock").exists()
        assert "embedded PostgreSQL stopped" in log.read_text()

        # Second run: same data, the demo tenant is reused rather than created again.
        proc = _launch(data_dir, port, log)
        wait_until(
            lambda: http_ok(f"http://127.0.0.1:{port}/healthz"),
            timeout=120,
            what="the second make run to serve",
        )
        second = log.read_text()
        assert "tenant signed up" not in second
        # Nothing to migrate is said once, not once per tenant schema.
        assert "No migrations to apply" not in second
        assert "migrating the public schema and every tenant schema" in second
        assert _ctrl_c(proc) == 0
        assert "stopped; `make run` starts it again with the same data" in log.read_text()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        subprocess.run(
            [sys.executable, "-m", "config.devenv", "stop"],
            cwd=ROOT,
            env={**os.environ, "AWAN_DATA_DIR": str(data_dir)},
            check=False,
        )
        shutil.rmtree(data_dir, ignore_errors=True)
