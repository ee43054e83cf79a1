# Quickstart: `make run` serves the course on http://127.0.0.1:8000, `make test` runs every check.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
# pyenv reads .python-version (3.12); without pyenv, the first python3.12+ on PATH.
PYTHON ?= $(shell pyenv which python 2>/dev/null || command -v python3.12 || command -v python3.13 || command -v python3)
CHROMIUM := /usr/bin/chromium

.PHONY: run test serve bench wrk lint format browser clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -n "$(PYTHON)" || { echo "No Python found: install Python 3.12 or newer (pyenv install 3.12)."; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))' || { \
	  echo "Django 6.1 needs Python 3.12 or newer; $(PYTHON) is $$($(PYTHON) --version 2>&1)."; \
	  echo "Install it (pyenv install 3.12) or run: make PYTHON=/path/to/python3.12 ..."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

run: $(VENV)/.installed
	DJANGO_DEBUG=1 $(PY) manage.py migrate --no-input
	DJANGO_DEBUG=1 $(PY) manage.py import_content
	DJANGO_DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production settings (DEBUG off). Without DJANGO_SECRET_KEY set, a key is made once
# and kept in .secret-key (git-ignored) so sessions survive restarts.
serve: $(VENV)/.installed
	@test -s .secret-key || $(PY) -c 'import secrets; print(secrets.token_urlsafe(50))' > .secret-key
	export DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}"; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py import_content && \
	$(PY) manage.py collectstatic --no-input --verbosity 0 && \
	exec $(BIN)/gunicorn course.project.wsgi --bind 127.0.0.1:$(PORT) --workers $${WEB_CONCURRENCY:-2} --access-logfile -

# The benchmark (README.md, Benchmark): gunicorn with production settings on a throwaway
# SQLite site, driven by wrk; BENCH_SECONDS (default 12) is the time per scenario. The
# command itself runs in development mode; the site it serves has DEBUG off.
bench: $(VENV)/.installed wrk
	DJANGO_DEBUG=1 $(PY) manage.py bench

wrk:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's wrk for the benchmark..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
	  else \
	    echo "The benchmark needs wrk (a load generator): run 'sudo apt-get install wrk'."; exit 1; \
	  fi; \
	fi

browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Debian's chromium for the browser tests..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The browser tests need Chromium at $(CHROMIUM): run 'sudo apt-get install chromium'."; exit 1; \
	  fi; \
	fi

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

test: $(VENV)/.installed browser lint
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run >/dev/null || { echo "Models changed without a migration: run makemigrations."; exit 1; }
	$(BIN)/pytest

clean:
	rm -rf $(VENV) db.sqlite3* test-db.sqlite3* staticfiles
