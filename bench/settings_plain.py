"""Plain Django, no tenancy: the peer of the routing and cold-start benchmarks.

Stock PostgreSQL backend, persistent connections, the middleware `startproject` writes, and
the same bench view reading core_app's Project model, in a database of its own
(DATABASE_URL, set by the runner)."""

import os

import dj_database_url

SECRET_KEY = "awan-bench-plain-django-not-secret-0123456789abcdef"
DEBUG = False
ALLOWED_HOSTS = ["localhost", ".localhost", "127.0.0.1"]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    # core_app's own AppConfig declares feature flags, which need the tenants app.
    "bench.plain_apps.CoreAppPlainConfig",
]

# What `django-admin startproject` writes.
DJANGO_DEFAULT_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
MIDDLEWARE = DJANGO_DEFAULT_MIDDLEWARE
ROOT_URLCONF = "bench.urls_plain"
WSGI_APPLICATION = "config.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": []},
    }
]

_database = dj_database_url.parse(
    os.environ.get("DATABASE_URL", "postgres://localhost/awan_bench_plain"), conn_max_age=600
)
DATABASES = {
    "default": {
        **_database,
        "ENGINE": "django.db.backends.postgresql",
        "OPTIONS": {
            **_database.get("OPTIONS", {}),
            "application_name": os.environ.get("BENCH_APP_NAME", "awan-bench-plain"),
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "UTC"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
