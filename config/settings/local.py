"""Local development: `make run`. Embedded services come from config.devenv when the URLs
are unset, so a bare machine needs nothing but Python."""

import os

if not os.environ.get("DATABASE_URL") or not os.environ.get("REDIS_URL"):
    # Plain `python manage.py ...` outside the launcher: start (or reuse) the embedded servers.
    from config import devenv

    if not os.environ.get("DATABASE_URL"):
        os.environ["DATABASE_URL"] = devenv.postgres_start()
    if not os.environ.get("REDIS_URL"):
        os.environ["REDIS_URL"] = devenv.redis_start()

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY") or "awan-local-development-only-not-secret"
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# Trying the kit means signing up a lot from one address: a generous limit on a laptop.
SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "1000/h")
# A few spare schemas are plenty on a laptop.
TENANT_POOL_SIZE = int(os.environ.get("TENANT_POOL_SIZE", "3"))
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
# Serve static files straight from the app folders; no collectstatic needed in development.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
WEBHOOKS_ALLOW_LOOPBACK = True  # receivers on this machine, for development and tests
# The operators' console asks for a TOTP code only when this is on (always on in production).
CONSOLE_REQUIRE_2FA = env_bool("CONSOLE_REQUIRE_2FA", False)
