"""Project wiring: settings, URLs, WSGI, Celery, logging, health and the dev launcher."""
