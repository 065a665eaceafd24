# One image for every process type (web, worker, release), as on Heroku.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# collectstatic needs settings but no services: give it throwaway values for the build only.
RUN SECRET_KEY=build-only DATABASE_URL=postgres://build@localhost/build \
    python manage.py collectstatic --noinput

RUN useradd --create-home awan
USER awan
EXPOSE 8000
ENV PORT=8000
CMD ["gunicorn", "config.wsgi", "--config", "config/gunicorn.conf.py"]
