"""Deploy-time checks: does the process formation fit the database's connection limit?

Every gunicorn thread and every Celery worker process can hold its own persistent database
connection (CONN_MAX_AGE), so the formation needs

    web dynos x WEB_CONCURRENCY x GUNICORN_THREADS + worker dynos x CELERY_CONCURRENCY
    + 1 (beat) + 1 (release / one-off `heroku run`)

connections at most. Heroku Postgres plans cap connections (e.g. 20 on essential-0, 120 on
standard-0): set DATABASE_CONNECTION_LIMIT to your plan's and WEB_DYNOS / WORKER_DYNOS to your
formation, and `manage.py check` warns before the database starts refusing connections.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from django.core.checks import Warning, register


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@dataclass(frozen=True)
class ConnectionBudget:
    web_dynos: int
    web_concurrency: int
    web_threads: int
    worker_dynos: int
    worker_concurrency: int
    limit: int | None

    @property
    def web(self) -> int:
        return self.web_dynos * self.web_concurrency * self.web_threads

    @property
    def worker(self) -> int:
        return self.worker_dynos * self.worker_concurrency

    @property
    def needed(self) -> int:
        return self.web + self.worker + 2  # beat + a release or one-off dyno

    @property
    def over(self) -> bool:
        return self.limit is not None and self.needed > self.limit


def connection_budget() -> ConnectionBudget:
    limit = os.environ.get("DATABASE_CONNECTION_LIMIT")
    return ConnectionBudget(
        web_dynos=_int("WEB_DYNOS", 1),
        web_concurrency=_int("WEB_CONCURRENCY", 2),
        web_threads=_int("GUNICORN_THREADS", 1),
        worker_dynos=_int("WORKER_DYNOS", 1),
        worker_concurrency=_int("CELERY_CONCURRENCY", 2),
        limit=int(limit) if limit else None,
    )


@register("awan")
def check_connection_budget(app_configs: Any = None, **kwargs: Any) -> list[Warning]:
    budget = connection_budget()
    if not budget.over:
        return []
    return [
        Warning(
            f"The process formation may need {budget.needed} database connections but the "
            f"database allows {budget.limit}.",
            hint=(
                f"web {budget.web_dynos} dynos x {budget.web_concurrency} workers x "
                f"{budget.web_threads} threads = {budget.web}; worker {budget.worker_dynos} "
                f"dynos x {budget.worker_concurrency} = {budget.worker}; +2 for beat and "
                "release. Lower "
                "WEB_CONCURRENCY / CELERY_CONCURRENCY, scale down, or use a bigger database plan "
                "(or a pooler such as PgBouncer)."
            ),
            id="awan.W001",
        )
    ]
