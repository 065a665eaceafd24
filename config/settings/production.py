"""Production (Heroku, docker-compose): everything from the environment, secure by default."""

import os
import tempfile

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import env_bool, env_int

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
if not os.environ.get("DATABASE_URL"):
    raise ImproperlyConfigured("DATABASE_URL must be set in the environment for production.")

DEBUG = False
SITE_URL = os.environ.get("SITE_URL") or f"https://{BASE_DOMAIN}"  # noqa: F405
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
# A dyno's (or container's) own temporary directory: writable, and never shared with another.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILE") or os.path.join(
    tempfile.gettempdir(), f"awan-celerybeat-{os.environ.get('DYNO', 'beat')}"
)

# Heroku's router terminates TLS and says so in X-Forwarded-Proto; it appends the client's
# address to X-Forwarded-For and the port the client connected to in X-Forwarded-Port.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way commitment for the whole domain; opt in with SECURE_HSTS_PRELOAD.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
# Operators pass a TOTP second factor for the console and the operators' admin: not optional.
CONSOLE_REQUIRE_2FA = True
