"""gunicorn settings: bind $PORT, stay under Heroku's 30 s router timeout, shut down gracefully."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "25"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))
keepalive = 5
# gunicorn's access line (client, status, bytes, time) on stdout, carrying the tenant schema
# and request id the app put in the WSGI environ, so it joins up with the app's own lines.
accesslog = "-"
access_log_format = (
    'schema=%({awan.schema}e)s request_id=%({awan.request_id}e)s remote=%(h)s "%(r)s" '
    'status=%(s)s bytes=%(B)s duration_ms=%(M)s agent="%(a)s"'
)
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
forwarded_allow_ips = "*"
# gunicorn's runtime control socket lives at one fixed path per user; several gunicorns on one
# machine (honcho -c web=2, tests) would fight over it, and dynos don't need it.
control_socket_disable = True

# gunicorn's own lines (start, signals, worker exits) in the same one-line shape as the app's.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": "%(asctime)s level=%(levelname)s logger=%(name)s pid=%(process)d %(message)s"
        }
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
        }
    },
    "root": {"handlers": ["stdout"], "level": "INFO"},
    "loggers": {
        "gunicorn.error": {"handlers": ["stdout"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
    },
}
