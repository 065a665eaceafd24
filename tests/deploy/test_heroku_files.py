"""Heroku's view of the app: app.json, production settings under a Heroku-like environment."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HEROKU_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "DATABASE_URL": "postgres://u:p@ec2-1-2-3-4.compute-1.amazonaws.com:5432/d8f",
    "REDIS_URL": "rediss://:p4ss@ec2-5-6-7-8.compute-1.amazonaws.com:12345",
    "BASE_DOMAIN": "awan-demo.herokuapp.com",
    "TENANT_ROUTING": "path",
    "PORT": "12345",
    "DYNO": "web.1",
}


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**clean, **HEROKU_ENV, **env},
        check=False,
    )


def test_app_json_declares_addons_formation_and_env():
    app = json.loads((ROOT / "app.json").read_text())
    plans = {addon["plan"].split(":")[0] for addon in app["addons"]}
    assert plans == {"heroku-postgresql", "heroku-redis"}
    assert {k: v["quantity"] for k, v in app["formation"].items()} == {
        "web": 1,
        "worker": 1,
        "beat": 1,
    }
    assert app["env"]["SECRET_KEY"]["generator"] == "secret"
    assert app["env"]["DJANGO_SETTINGS_MODULE"]["value"] == "config.settings.production"
    assert all(spec.get("description") for spec in app["env"].values())


def test_check_deploy_passes_with_a_heroku_environment():
    result = _manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def _database(**env: str) -> list[str]:
    code = (
        "from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['HOST'], d['NAME'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'], d['ENGINE'], "
        "d['AWAN_POOLED'], d['DISABLE_SERVER_SIDE_CURSORS'])"
    )
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()[-7:]


def test_production_reads_database_url_with_persistent_connections():
    assert _database() == [
        "ec2-1-2-3-4.compute-1.amazonaws.com",
        "d8f",
        "600",
        "False",
        "tenants.db_backend",
        "False",
        "False",
    ]


POOL_URL = "postgres://u:p@ec2-9-9-9-9.compute-1.amazonaws.com:5433/d8f_pool"


def test_web_and_workers_use_herokus_pooler_when_it_is_attached():
    assert _database(DATABASE_CONNECTION_POOL_URL=POOL_URL) == [
        "ec2-9-9-9-9.compute-1.amazonaws.com",
        "d8f_pool",
        "600",
        "False",
        "tenants.db_backend",
        "True",
        "True",
    ]


def test_the_release_phase_keeps_the_direct_connection_even_with_a_pooler():
    direct = _database(DATABASE_CONNECTION_POOL_URL=POOL_URL, AWAN_DIRECT_DATABASE="1")
    assert direct[:2] == ["ec2-1-2-3-4.compute-1.amazonaws.com", "d8f"]
    assert direct[5:] == ["False", "False"]


def test_production_accepts_heroku_redis_tls_with_its_self_signed_certificate():
    code = (
        "import ssl; from django.conf import settings as s; "
        "print(s.CELERY_BROKER_URL, s.CELERY_BROKER_USE_SSL['ssl_cert_reqs'] == ssl.CERT_NONE, "
        "s.CACHES['default']['OPTIONS']['ssl_cert_reqs'])"
    )
    result = _manage("shell", "-c", code)
    assert result.stdout.split()[-3:] == [
        "rediss://:p4ss@ec2-5-6-7-8.compute-1.amazonaws.com:12345",
        "True",
        "None",
    ]


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("env", "over"),
    [
        (
            {
                "WEB_DYNOS": "2",
                "WEB_CONCURRENCY": "3",
                "WORKER_DYNOS": "3",
                "CELERY_CONCURRENCY": "2",
                "DATABASE_CONNECTION_LIMIT": "12",
            },
            True,
        ),
        (
            {
                "WEB_DYNOS": "1",
                "WEB_CONCURRENCY": "2",
                "WORKER_DYNOS": "1",
                "CELERY_CONCURRENCY": "2",
                "DATABASE_CONNECTION_LIMIT": "20",
            },
            False,
        ),
    ],
)
def test_connection_budget_warns_when_the_formation_exceeds_the_database_limit(env, over):
    check = _manage("check", **env)
    command = _manage("connection_budget", "--strict", **env)
    assert ("awan.W001" in check.stdout + check.stderr) is over
    assert (command.returncode != 0) is over
    if over:
        assert "may need 14 database connections but the database allows 12" in check.stderr


def _setting(name: str, **env: str) -> str:
    code = f"from django.conf import settings; print(settings.{name})"
    result = _manage("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_beats_schedule_file_is_never_a_path_every_project_shares():
    procfile = (ROOT / "Procfile").read_text()
    assert "/tmp/celerybeat-schedule" not in procfile and "--schedule" not in procfile
    on_a_dyno = _setting("CELERY_BEAT_SCHEDULE_FILENAME", DYNO="beat.1")
    assert on_a_dyno.endswith("awan-celerybeat-beat.1")
    from django.conf import settings

    assert str(ROOT / ".data" / "celerybeat-schedule") == settings.CELERY_BEAT_SCHEDULE_FILENAME


def test_production_trusts_exactly_one_proxy_and_forwarded_proto():
    assert _setting("TRUSTED_PROXY_COUNT") == "1"
    assert _setting("SECURE_PROXY_SSL_HEADER") == "('HTTP_X_FORWARDED_PROTO', 'https')"
    assert _setting("SITE_URL") == "https://awan-demo.herokuapp.com"


def test_make_run_signs_up_freely_while_production_keeps_the_strict_limit():
    """Trying the kit means many signups from one address; a dyno keeps the strict default."""
    from tenants.ratelimit import Rate

    laptop = _setting(
        "SIGNUP_RATE_LIMIT",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL="postgres://u@127.0.0.1:1/unused",
        REDIS_URL="redis://127.0.0.1:1/0",
    )
    on_a_dyno = _setting("SIGNUP_RATE_LIMIT")
    per_hour = {name: Rate.parse(text) for name, text in (("laptop", laptop), ("dyno", on_a_dyno))}
    assert per_hour["laptop"].limit * 3600 / per_hour["laptop"].window >= 100
    assert per_hour["dyno"].limit * 3600 / per_hour["dyno"].window <= 10
