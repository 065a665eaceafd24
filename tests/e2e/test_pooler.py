"""Behind PgBouncer in transaction mode (Heroku's connection pooling), with a server pool far
smaller than the number of clients: several tenants sign in and write at once through two web
processes and a worker, and every row, sessions included, lands in its own schema."""

from __future__ import annotations

import re
import threading

import pytest
import requests
from django.db import connection
from django_tenants.utils import schema_context

from tenants.services import tenant_signup
from tests.conftest import PASSWORD
from tests.e2e.conftest import BIN, WORKER_ARGS, free_port, http_ok, process_env, wait_until
from tests.fakes.pooler import PgBouncer, pgbouncer_available

pytestmark = pytest.mark.e2e

TENANTS = ["pool-a", "pool-b", "pool-c", "pool-d"]
PROJECTS_EACH = 8


@pytest.fixture
def pooler(live_db):
    if not pgbouncer_available():
        pytest.fail("pgbouncer is needed (apt-get install pgbouncer)")
    bouncer = PgBouncer(connection.settings_dict, pool_size=2).start()
    yield bouncer
    bouncer.stop()


def _session_count(schema: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT count(*) FROM "{schema}".django_session')
        return cursor.fetchone()[0]


def _log_in(base: str, host: str, email: str) -> requests.Session:
    session = requests.Session()
    form = session.get(f"{base}/login/", headers={"Host": host}, timeout=20)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    response = session.post(
        f"{base}/login/",
        headers={"Host": host, "Referer": f"http://{host}/login/"},
        data={"csrfmiddlewaretoken": token, "username": email, "password": PASSWORD},
        allow_redirects=False,
        timeout=20,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def _csrf(session: requests.Session, base: str, host: str) -> str:
    page = session.get(f"{base}/", headers={"Host": host}, timeout=20)
    assert page.status_code == 200, page.status_code
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def test_many_tenants_writing_at_once_through_a_tiny_transaction_pool_stay_in_their_schemas(
    pooler, start_process
):
    made = {}
    for subdomain in TENANTS:
        result = tenant_signup(
            name=f"Org {subdomain}",
            subdomain=subdomain,
            owner_email=f"owner@{subdomain}.test",
            password=PASSWORD,
        )
        made[subdomain] = result.tenant.schema_name
    connection.set_schema_to_public()
    public_sessions_before = _session_count("public")

    env = {"DATABASE_CONNECTION_POOL_URL": pooler.url, "WEB_CONCURRENCY": "2"}
    ports = [free_port(), free_port()]
    for port in ports:
        start_process(
            [str(BIN / "gunicorn"), "config.wsgi", "--config", "config/gunicorn.conf.py"],
            name=f"gunicorn-pooled-{port}",
            env=process_env(PORT=str(port), **env),
        )
    worker = start_process(
        [str(BIN / "celery"), *WORKER_ARGS[:-4], "--concurrency", "2", *WORKER_ARGS[-2:]],
        name="celery-pooled",
        env=process_env(**env),
    )
    for port in ports:
        wait_until(lambda p=port: http_ok(f"http://127.0.0.1:{p}/healthz"), timeout=30,
                   what="gunicorn behind pgbouncer")  # fmt: skip
    wait_until(lambda: "ready." in worker.output(), timeout=30, what="the pooled worker")

    failures: list[str] = []
    barrier = threading.Barrier(len(TENANTS))

    def work(index: int, subdomain: str) -> None:
        try:
            base = f"http://127.0.0.1:{ports[index % 2]}"
            other = f"http://127.0.0.1:{ports[(index + 1) % 2]}"
            host = f"{subdomain}.localhost"
            session = _log_in(base, host, f"owner@{subdomain}.test")
            barrier.wait(timeout=30)
            for n in range(PROJECTS_EACH):
                target = base if n % 2 else other  # the session must work on either web
                token = _csrf(session, target, host)
                created = session.post(
                    f"{target}/projects/new/",
                    headers={"Host": host, "Referer": f"http://{host}/"},
                    data={"csrfmiddlewaretoken": token, "name": f"{subdomain} #{n}"},
                    allow_redirects=False,
                    timeout=30,
                )
                if created.status_code != 302:
                    failures.append(f"{subdomain} project {n}: {created.status_code}")
                    continue
                project_path = created.headers["Location"]
                exported = session.post(
                    f"{target}{project_path}exports/",
                    headers={"Host": host, "Referer": f"http://{host}{project_path}"},
                    data={"csrfmiddlewaretoken": token},
                    allow_redirects=False,
                    timeout=30,
                )
                if exported.status_code != 302:
                    failures.append(f"{subdomain} export {n}: {exported.status_code}")
        except Exception as exc:  # collected and reported below
            failures.append(f"{subdomain}: {exc!r}")

    threads = [threading.Thread(target=work, args=(i, s)) for i, s in enumerate(TENANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert failures == []

    from core_app.models import Export, Project

    def exports_done() -> bool:
        for schema in made.values():
            with schema_context(schema):
                if Export.objects.filter(status=Export.Status.DONE).count() < PROJECTS_EACH:
                    return False
        return True

    wait_until(exports_done, timeout=60, what="the worker to build every export")
    for subdomain, schema in made.items():
        with schema_context(schema):
            names = sorted(Project.objects.values_list("name", flat=True))
            assert names == sorted(f"{subdomain} #{n}" for n in range(PROJECTS_EACH))
            assert Export.objects.exclude(status=Export.Status.DONE).count() == 0
        assert _session_count(schema) >= 1, f"{subdomain}'s session is not in its schema"
    connection.set_schema_to_public()
    assert _session_count("public") == public_sessions_before
    assert "new connection to server" in pooler.log()  # the traffic really went through it
