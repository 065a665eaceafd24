"""Awan as the bench runs it: the test settings (MD5 password hasher, static files from the
apps) on the bench's own database (DATABASE_URL, set by the runner) and Redis database, with
the bench view added to every tenant's URLconf.

Knobs, all set by the runner in the environment of the process it starts:

- AWAN_BENCH_REDIS_DB       the Redis database index (cache, broker, platform keys)
- BENCH_APP_NAME            PostgreSQL application_name, to find a process's backend
- BENCH_SYNTHETIC=1         add bench.synthetic (200 more migrations) to TENANT_APPS
- BENCH_REAL_HASHER=1       Django's default password hashers (PBKDF2) instead of MD5
- BENCH_CLONE_BASE=<schema> django-tenants' clone option: TENANT_BASE_SCHEMA + fake migrations
- BENCH_SMART_EXECUTOR=1    migrate_schemas through django-tenants-smart-executor
- BENCH_MP_PROCESSES=N      TENANT_MULTIPROCESSING_MAX_PROCESSES for `--executor multiprocessing`
- AWAN_TEST_MIGRATION_MODULES / AWAN_TEST_MIGRATION_PATH  (from config.settings.test) extra,
                            synthetic migrations for the fleet benchmark
"""

import os
from typing import Any

from django.conf import global_settings

from config.settings.base import REDIS_URL, redis_url_for
from config.settings.test import *  # noqa: F403

BENCH_REDIS_DB = int(os.environ.get("AWAN_BENCH_REDIS_DB", "14"))
TEST_REDIS_DB = BENCH_REDIS_DB
CACHES["default"]["LOCATION"] = redis_url_for(REDIS_URL, db=BENCH_REDIS_DB)  # noqa: F405
CELERY_BROKER_URL = redis_url_for(REDIS_URL, db=BENCH_REDIS_DB, celery=True)

ROOT_URLCONF = "bench.urls_tenant"
# The bench signs up many tenants from one address.
SIGNUP_RATE_LIMIT = "1000000/h"
TENANT_POOL_SIZE = int(os.environ.get("BENCH_POOL_SIZE", "4"))
_default: dict[str, Any] = DATABASES["default"]  # noqa: F405
_default["OPTIONS"] = {
    **_default["OPTIONS"],
    "application_name": os.environ.get("BENCH_APP_NAME", "awan-bench"),
}

if os.environ.get("BENCH_SYNTHETIC") == "1":
    TENANT_APPS = [*TENANT_APPS, "bench.synthetic"]  # noqa: F405
    INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]  # noqa: F405

if os.environ.get("BENCH_REAL_HASHER") == "1":
    PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS

if os.environ.get("BENCH_CLONE_BASE"):
    TENANT_BASE_SCHEMA = os.environ["BENCH_CLONE_BASE"]
    TENANT_CREATION_FAKES_MIGRATIONS = True

if os.environ.get("BENCH_SMART_EXECUTOR") == "1":
    GET_EXECUTOR_FUNCTION = "django_tenants_smart_executor.load_executor"

TENANT_MULTIPROCESSING_MAX_PROCESSES = int(os.environ.get("BENCH_MP_PROCESSES", "2"))
