"""schemathesis against the real API (gunicorn, a real workspace, a real key): thousands of
generated requests, bounded in time, find no 5xx and no response that contradicts the OpenAPI
document."""

from __future__ import annotations

import subprocess

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from tenants.services import tenant_signup
from tenants.workspace.apikeys import apikey_create
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, BIN, ROOT, free_port, http_ok, process_env, wait_until

pytestmark = pytest.mark.e2e


def test_schemathesis_finds_no_server_error_and_no_schema_violation(live_db, start_process):
    result = tenant_signup(
        name="Fuzz Co", subdomain="fuzz-co", owner_email="o@fuzz.test", password=PASSWORD
    )
    with schema_context(result.tenant.schema_name):
        from django.contrib.auth import get_user_model

        owner = get_user_model().objects.get(pk=result.owner_id)
        key = apikey_create(name="fuzz", scope="write", actor=owner)[1]
    connection.set_schema_to_public()
    port = free_port()
    start_process(
        [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
        name=f"gunicorn-fuzz-{port}",
        env=process_env(PORT=str(port), WEB_CONCURRENCY="2", API_RATE_LIMIT="100000/m"),
    )
    base, host = f"http://127.0.0.1:{port}", f"fuzz-co.localhost:{port}"
    wait_until(lambda: http_ok(f"{base}/healthz"), timeout=30, what="gunicorn")
    ARTIFACTS.mkdir(exist_ok=True)
    schema = ARTIFACTS / "openapi.json"
    schema.write_bytes(
        requests.get(f"{base}/api/schema/?format=json", headers={"Host": host}, timeout=10).content
    )
    run = subprocess.run(
        [
            str(BIN / "schemathesis"),
            "run",
            str(schema),
            "--url",
            base,
            "-H",
            f"Host: {host}",
            "-H",
            f"Authorization: Bearer {key}",
            "--checks",
            "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--max-examples",
            "25",
            "--max-time",
            "90",
            "--workers",
            "1",
            "--phases",
            "examples,fuzzing,stateful",
            "--seed",
            "7",
            "--request-timeout",
            "10",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    (ARTIFACTS / "schemathesis.log").write_text(run.stdout + run.stderr)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "passed" in run.stdout.lower()
