"""gunicorn settings: bind $PORT, stay under Heroku's 30 s router timeout, shut down gracefully."""

import os

port = os.environ.get("PORT", "8000")
bind = f"0.0.0.0:{port}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "25"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# Import the app once in the master, then fork the workers: a cold dyno answers sooner, and the
# workers share the imported code's memory (copy-on-write) instead of each holding its own.
# Nothing opens a connection at import time, so no socket is shared across the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() in ("1", "true", "yes")
# Each request is logged once, by the app (config.logs.RequestLogMiddleware: method, redacted
# path, status, duration, host, client, tenant schema, request id); no second access line.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# X-Forwarded-Proto & co. are believed only from a proxy we were told about: Heroku's router
# (production sets TRUSTED_PROXY_COUNT=1); a bare `make run` trusts only loopback.
_production = os.environ.get("DJANGO_SETTINGS_MODULE", "").endswith(".production")
_proxies = int(os.environ.get("TRUSTED_PROXY_COUNT") or (1 if _production else 0))
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*" if _proxies else "127.0.0.1,::1")
# gunicorn's runtime control socket lives at one fixed path per user; several gunicorns on one
# machine (honcho -c web=2, tests) would fight over it, and dynos don't need it.
control_socket_disable = True


class _NoBindAddress:
    """gunicorn announces "Listening at: http://0.0.0.0:PORT", an address no browser can open;
    `when_ready` says where the app is instead."""

    def filter(self, record):  # logging.Filter protocol
        return not str(record.msg).startswith("Listening at:")


def when_ready(server):
    site = os.environ.get("SITE_URL", "")
    where = f"; open {site}/" if site else ""
    server.log.info("web ready on port %s (%d workers)%s", port, workers, where)


# gunicorn's own lines (start, signals, worker exits) in the same one-line shape as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"no_bind_address": {"()": _NoBindAddress}},
    "formatters": {
        "line": {
            "()": "config.logs.OneLineFormatter",
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s pid=%(process)d %(message)s",
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["no_bind_address"],
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
    },
}
