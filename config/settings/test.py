"""Tests: the same real PostgreSQL and Redis as local, on their own Redis database so a
running `make run` never consumes the tests' tasks or reads their cache."""

import json
import os
import sys

from config.settings.base import *  # noqa: F403
from config.settings.base import REDIS_URL, redis_url_for

SECRET_KEY = "awan-test-secret-key-with-enough-length-0123456789"
DEBUG = False
TEST_REDIS_DB = int(os.environ.get("AWAN_TEST_REDIS_DB", "13"))
CACHES["default"]["LOCATION"] = redis_url_for(REDIS_URL, db=TEST_REDIS_DB)  # noqa: F405
CELERY_BROKER_URL = redis_url_for(REDIS_URL, db=TEST_REDIS_DB, celery=True)
# Processes the tests start (gunicorn, celery) print mail to stdout so tests can read it.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the app folders; no collectstatic needed in development.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Spare schemas the test session keeps ready (tests/conftest.py tops the pool up).
TENANT_POOL_SIZE = 6

# Fleet tests run real processes against extra, synthetic migrations: they name the migration
# modules (and where to import them from) in the environment.
if os.environ.get("AWAN_TEST_MIGRATION_MODULES"):
    sys.path.insert(0, os.environ["AWAN_TEST_MIGRATION_PATH"])
    MIGRATION_MODULES = json.loads(os.environ["AWAN_TEST_MIGRATION_MODULES"])
WEBHOOKS_ALLOW_LOOPBACK = True  # receivers on this machine, for development and tests
