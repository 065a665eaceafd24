"""Settings shared by every environment. 12-factor: everything that differs per deploy comes
from the environment (DATABASE_URL, REDIS_URL, SECRET_KEY, BASE_DOMAIN, Stripe keys)."""

import os
import ssl
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def redis_url_for(url: str, *, db: int | None = None, celery: bool = False) -> str:
    """Rewrite REDIS_URL for one client: a database index, and kombu's spelling of sockets.

    redis-py spells a unix socket `unix:///path?db=N`; kombu spells it
    `redis+socket:///path?virtual_host=N`.
    """
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if parts.scheme == "unix":
        if db is not None:
            query["db"] = str(db)
        if celery:
            query["virtual_host"] = query.pop("db", "0")
            return f"redis+socket://{parts.path}?{urlencode(query)}"
        return f"unix://{parts.path}" + (f"?{urlencode(query)}" if query else "")
    path = f"/{db}" if db is not None else parts.path
    return urlunsplit(parts._replace(path=path))


SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False

# Tenants live at <subdomain>.<BASE_DOMAIN> ("subdomain" routing, the default) or at
# <BASE_DOMAIN>/t/<subdomain>/ ("path" routing, for a bare <app>.herokuapp.com).
BASE_DOMAIN = os.environ.get("BASE_DOMAIN", "localhost")
TENANT_ROUTING = os.environ.get("TENANT_ROUTING", "subdomain")
# Scheme/host/port for links built outside a request (emails sent by the worker). `make run`
# sets it to the port it serves on; production defaults it to https://<BASE_DOMAIN>.
SITE_URL = os.environ.get("SITE_URL", f"http://{BASE_DOMAIN}:{os.environ.get('PORT', '8000')}")
# How many proxies in front append to X-Forwarded-For and may be believed about the client's
# address and port (Heroku's router: 1, set in production). 0: forwarded headers are ignored.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", "127.0.0.1"] + [
    h for h in os.environ.get("EXTRA_ALLOWED_HOSTS", "").split(",") if h
]

# --- apps: django-tenants splits them between the public schema and every tenant schema --
SHARED_APPS = [
    "django_tenants",
    "tenants",
    "billing",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc served by us: no CDN at run time
    # Operators' second factor (TOTP) for the console and the operators' admin.
    "django_otp",
    "django_otp.plugins.otp_totp",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.admin",
    "django.contrib.sessions",
    "django.contrib.messages",
    "tenants.workspace",  # roles, invitations, API keys, webhooks, usage, data export
    "core_app",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Tenant"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_NAME = "public"
ROOT_URLCONF = "config.urls_tenant"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Skip `SET search_path` when the connection already points at the request's tenant.
TENANT_LIMIT_SET_CALLS = True

MIDDLEWARE = [
    "config.logs.RequestLogMiddleware",
    # Security headers (and the HTTPS redirect) apply to every response, including the ones
    # routing answers itself: the unknown-host 404 and the /t/<x> → /t/<x>/ redirect.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.health.HealthCheckMiddleware",
    "tenants.middleware.TenantRoutingMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tenants.middleware.TenantStatusMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session passed the second factor (operators).
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # At most one write per tenant per few minutes: "last activity" for the console.
    "tenants.activity.ActivityMiddleware",
    "billing.middleware.BillingStateMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],  # templates live in their apps: tenants/ has the shared layout
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tenants.context_processors.tenant",
                "billing.context_processors.billing",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# --- data stores --------------------------------------------------------------------------
# DATABASE_URL is the direct connection. When a transaction-mode pooler is attached (Heroku's
# connection pooling sets DATABASE_CONNECTION_POOL_URL), web, worker and beat go through it,
# while migrations and the fleet runner (`manage.py release`, AWAN_DIRECT_DATABASE=1) keep the
# direct one: DDL, advisory locks and long transactions belong on a dedicated connection.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
DATABASE_POOL_URL = os.environ.get("DATABASE_CONNECTION_POOL_URL", "")
DATABASE_POOLED = bool(DATABASE_POOL_URL) and not env_bool("AWAN_DIRECT_DATABASE", False)
_database = dj_database_url.parse(
    (DATABASE_POOL_URL if DATABASE_POOLED else DATABASE_URL) or "postgres://localhost/awan",
    conn_max_age=env_int("CONN_MAX_AGE", 600),
    # A pooler (or a dedicated connection that survived the last request) rarely breaks; the
    # check would cost a round trip on every request. DB_HEALTH_CHECKS=true turns it on.
    conn_health_checks=env_bool("DB_HEALTH_CHECKS", False),
)
DATABASES = {
    "default": {
        **_database,
        # django-tenants' backend with the search_path sent alongside each statement that
        # needs it (tenants/db_backend/base.py): safe behind PgBouncer, free when not switching.
        "ENGINE": "tenants.db_backend",
        "AWAN_POOLED": DATABASE_POOLED,
        "AWAN_RECYCLE_AFTER_SCHEMAS": env_int("DB_RECYCLE_AFTER_SCHEMAS", 150),
        # Transaction pooling keeps no server-side cursor or prepared statement between
        # transactions (Django's documented pooler settings; psycopg 3's prepare_threshold is
        # already off by default in Django).
        "DISABLE_SERVER_SIDE_CURSORS": DATABASE_POOLED,
        "OPTIONS": {
            **_database.get("OPTIONS", {}),
            "connect_timeout": env_int("DB_CONNECT_TIMEOUT", 5),
        },
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://localhost:6379/0")
# Heroku Data for Redis serves TLS (rediss://) with a self-signed certificate: encrypt, but
# don't verify the chain (Heroku's own guidance). REDIS_TLS_VERIFY=true for a CA-signed one.
REDIS_TLS = REDIS_URL.startswith("rediss://")
REDIS_TLS_VERIFY = env_bool("REDIS_TLS_VERIFY", False)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": redis_url_for(REDIS_URL),
        # Every cache key carries the tenant's schema: one tenant never reads another's entry.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        "OPTIONS": {
            "socket_connect_timeout": 2,
            "socket_timeout": 2,
            **({"ssl_cert_reqs": None} if REDIS_TLS and not REDIS_TLS_VERIFY else {}),
        },
    }
}

# --- auth ---------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    # Users sign in by email (their username is the same string): compare with the email, its
    # part before the "@" included, so the message never mentions a username nobody sees.
    {"NAME": "tenants.validators.EmailSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core_app:dashboard"
LOGOUT_REDIRECT_URL = "login"
# Sessions live in each tenant's schema; cookies are host-only, so tenants never share one.
SESSION_COOKIE_DOMAIN = None
SESSION_COOKIE_NAME = "awan_session"
# Flash messages ride in the (per-schema) session, never in a cookie another tenant could read.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
CSRF_COOKIE_NAME = "awan_csrf"

# --- i18n / static ------------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
# Web processes keep nothing on local disk (dynos' disks are ephemeral and not shared): the kit
# stores its files (exports) in the database. Point uploads at object storage in production,
# e.g. MEDIA_STORAGE_BACKEND=storages.backends.s3.S3Storage (django-storages).
STORAGES = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- email --------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Awan <noreply@awan.localhost>")

# --- Celery -------------------------------------------------------------------------------
CELERY_BROKER_URL = redis_url_for(REDIS_URL, celery=True)
CELERY_BROKER_USE_SSL = (
    {"ssl_cert_reqs": ssl.CERT_REQUIRED if REDIS_TLS_VERIFY else ssl.CERT_NONE}
    if REDIS_TLS
    else None
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A worker that dies mid-task leaves the message unacknowledged, so another worker re-runs it;
# every task is idempotent for that reason.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# On SIGTERM (a dyno restart; the Procfile maps it to Celery's soft shutdown with
# REMAP_SIGTERM=SIGQUIT) a worker with tasks running waits this long, then cancels and
# re-queues what is left: well inside Heroku's 30 s before SIGKILL. An idle worker exits at once.
CELERY_WORKER_SOFT_SHUTDOWN_TIMEOUT = float(os.environ.get("CELERY_SOFT_SHUTDOWN_TIMEOUT", "10"))
CELERY_WORKER_ENABLE_SOFT_SHUTDOWN_ON_IDLE = False
# An unacknowledged message (its worker died) goes back on the queue after visibility_timeout,
# which must exceed the longest task; workers scan for such messages every interval * throttle s.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}

# --- logging: one event per line on stdout, each with the tenant schema and request id ---
LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "line": {
            # One record, one line: line breaks in messages and tracebacks are escaped.
            "()": "config.logs.OneLineFormatter",
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s pid=%(process)d "
            "schema=%(schema)s request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "filters": ["context"],
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
        # Our request log line replaces Django's own 4xx/5xx request warnings.
        "django.request": {"level": "ERROR"},
    },
}

# --- Stripe and billing ------------------------------------------------------------------
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "")  # e.g. a local stripe-mock
TRIAL_DAYS = env_int("TRIAL_DAYS", 30)
TRIAL_REMINDER_DAYS = [
    int(d) for d in os.environ.get("TRIAL_REMINDER_DAYS", "7,3,1").split(",") if d
]
BILLING_TRIAL_PLAN = os.environ.get("BILLING_TRIAL_PLAN", "team")
BILLING_PLANS = [
    {
        "key": "starter",
        "name": "Starter",
        "monthly_price_cents": 900,
        "max_projects": 3,
        "max_members": 3,
        "stripe_price_id": os.environ.get("STRIPE_PRICE_STARTER", ""),
    },
    {
        "key": "team",
        "name": "Team",
        "monthly_price_cents": 2900,
        "max_projects": 25,
        "max_members": 15,
        "stripe_price_id": os.environ.get("STRIPE_PRICE_TEAM", ""),
    },
    {
        "key": "business",
        "name": "Business",
        "monthly_price_cents": 9900,
        "max_projects": None,
        "max_members": None,
        "stripe_price_id": os.environ.get("STRIPE_PRICE_BUSINESS", ""),
    },
]

# Beat only enqueues; run exactly one beat process (see docs/billing.md). Its schedule file
# (when each entry last ran) belongs to this checkout, not to a path every project shares.
CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get(
    "CELERY_BEAT_SCHEDULE_FILE", str(BASE_DIR / ".data" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    "trial-sweep": {
        "task": "billing.tasks.billing_trial_sweep",
        "schedule": env_int("TRIAL_SWEEP_SECONDS", 3600),
    },
    "stripe-events-retry": {"task": "billing.tasks.stripe_events_retry", "schedule": 300},
    "stripe-reconcile": {"task": "billing.tasks.billing_reconcile", "schedule": 24 * 3600},
    "webhook-deliveries-due": {
        "task": "tenants.workspace.tasks.webhook_deliveries_due",
        "schedule": 60,
    },
    "schema-pool-refill": {
        "task": "tenants.tasks.schema_pool_refill",
        "schedule": env_int("POOL_REFILL_SECONDS", 60),
    },
    "tenants-purge-due": {
        "task": "tenants.tasks.tenants_purge_due",
        "schedule": env_int("PURGE_SWEEP_SECONDS", 3600),
    },
    "tenant-exports-expire": {"task": "tenants.tasks.tenant_exports_expire", "schedule": 86400},
}

# --- Awan ---------------------------------------------------------------------------------
SIGNUP_RATE_LIMIT = os.environ.get("SIGNUP_RATE_LIMIT", "10/h")
# Spare, pre-migrated schemas the worker keeps ready, so a signup never waits for migrations.
TENANT_POOL_SIZE = env_int("TENANT_POOL_SIZE", 10)
HANDOFF_MAX_AGE_SECONDS = env_int("HANDOFF_MAX_AGE_SECONDS", 60)
# A tenant's life (tenants.lifecycle): days between a deletion request and the purge; how long
# operators' exports, and the final export of a purged tenant, are kept.
TENANT_DELETION_GRACE_DAYS = env_int("TENANT_DELETION_GRACE_DAYS", 30)
TENANT_EXPORT_RETENTION_DAYS = env_int("TENANT_EXPORT_RETENTION_DAYS", 7)
TENANT_FINAL_EXPORT_RETENTION_DAYS = env_int("TENANT_FINAL_EXPORT_RETENTION_DAYS", 90)
# "Last activity" is written at most once per tenant per this many seconds.
TENANT_ACTIVITY_WRITE_SECONDS = env_int("TENANT_ACTIVITY_WRITE_SECONDS", 300)
# The operators' console (/console/ on the public host): staff with a TOTP second factor.
# local.py turns the second factor off for `make run`; production keeps it on.
CONSOLE_REQUIRE_2FA = env_bool("CONSOLE_REQUIRE_2FA", True)
CONSOLE_ACTION_RATE_LIMIT = os.environ.get("CONSOLE_ACTION_RATE_LIMIT", "30/m")
# A pg_dump binary for exports (else the one on PATH, else the embedded server's).
PG_DUMP = os.environ.get("PG_DUMP", "")
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Awan operators")

# --- the REST API (DRF + drf-spectacular; core_app/api/, tenants/workspace/api.py) ------------
API_RATE_LIMIT = os.environ.get("API_RATE_LIMIT", "600/m")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "tenants.workspace.api.ApiKeyAuthentication",
        # The signed-in browser (CSRF-protected), so the product's own pages can call it too.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "tenants.workspace.api.ScopeAllows",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["tenants.workspace.api.PerKeyRateThrottle"],
    "DEFAULT_PAGINATION_CLASS": "core_app.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": [
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "tenants.workspace.api_errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Awan workspace API",
    "DESCRIPTION": (
        "The product's data (projects and tasks) of one workspace, on that workspace's host. "
        "Authenticate with an API key (`Authorization: Bearer awan_…`) made on the API keys page."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Outgoing webhooks may only reach public addresses; local development and tests also allow
# 127.0.0.1 (local.py, test.py).
WEBHOOKS_ALLOW_LOOPBACK = env_bool("WEBHOOKS_ALLOW_LOOPBACK", False)
