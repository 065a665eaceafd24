# One entry point per task. The first two are all a new developer needs.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format types bench heroku-rehearsal stop services clean

run: $(STAMP)  ## migrate, create public + demo tenants, start web + worker + beat (Procfile, honcho)
	$(PY) -m config.devenv run $(if $(SCALE),--scale $(SCALE))

test: $(STAMP)  ## the whole test suite against real PostgreSQL and Redis
	$(PY) -m config.devenv test $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

bench: $(STAMP)  ## Awan vs django-tenants / plain Django, one table; BENCH=full (or ARGS=--full) for the issue's sizes
	$(PY) -m bench $(if $(filter full,$(BENCH)),--full) $(ARGS)

heroku-rehearsal: $(STAMP)  ## build from requirements.txt, release, run web=2 worker=2 beat=1, SIGTERM
	$(PY) bench/heroku_rehearsal.py

types: $(STAMP)
	$(VENV)/bin/mypy config tenants core_app billing

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

stop: $(STAMP)  ## stop embedded PostgreSQL/Redis left running by a plain manage.py
	$(PY) -m config.devenv stop

services: $(STAMP)  ## print DATABASE_URL/REDIS_URL exports for the embedded services
	@$(PY) -m config.devenv env

$(STAMP): requirements.txt requirements-dev.txt
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

clean:  ## remove the virtualenv and the embedded servers' data
	-$(PY) -m config.devenv stop
	rm -rf $(VENV) .data staticfiles
