# IKPOB portal — developer commands. Requires GNU make (4.3 is enough) and bash.
#
#   make run           local development server with demo content on http://127.0.0.1:8000
#   make test          test suite (SQLite unless DATABASE_URL is set; browser tests excluded)
#   make test-browser  browser tests in headless Chromium (needs chromium + chromedriver)
#   make screenshots   phone and desktop screenshots of the main pages into docs/screenshots/
#   make lint          ruff check + ruff format --check + lint-imports
#   make serve         gunicorn and the mail worker, production-like (see the note at the target)
#   make clean         remove the virtualenv, the SQLite database and collected/built static files
#
# Extra pytest arguments: make test PYTEST_ARGS="-k search -x"

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV ?= .venv
PYTEST_ARGS ?=

FIND_PYTHON := .ci/find-python
VENV_PYTHON := $(VENV)/bin/python
MANAGE := $(VENV_PYTHON) manage.py

# The venv is (re)built when it is missing or its interpreter is not a working 3.13
# (e.g. created with another pyenv version). Decided at parse time, because make
# caches file times: deleting the venv from inside a recipe would not make the
# install stamps below look out of date.
VENV_PYTHON_OK := $(shell "$(VENV_PYTHON)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 13))' >/dev/null 2>&1 && echo yes)
ifneq ($(VENV_PYTHON_OK),yes)
$(VENV)/pyvenv.cfg: FORCE
endif

# pyvenv.cfg, not bin/python, stands for "the venv exists": bin/python is a symlink
# whose (followed) mtime is the base interpreter's, older than any stamp.
$(VENV)/pyvenv.cfg:
	@py="$$($(FIND_PYTHON))" || exit 1; \
	echo "Creating $(VENV) with $$py"; \
	rm -rf "$(VENV)" && \
	"$$py" -m venv "$(VENV)" && \
	"$(VENV_PYTHON)" -m pip install --quiet --upgrade pip

# Stamps: pip runs again only when pyproject.toml changes or the venv is rebuilt.
$(VENV)/.installed-run: pyproject.toml $(VENV)/pyvenv.cfg
	$(VENV_PYTHON) -m pip install --quiet -e .
	@touch "$@"

$(VENV)/.installed-dev: pyproject.toml $(VENV)/pyvenv.cfg
	$(VENV_PYTHON) -m pip install --quiet -e ".[dev]"
	@touch "$@"

# Front-end packages (NL Design System CSS, tokens, fonts, axe-core) from package-lock.json.
# Needs Node.js with npm; the stamp makes npm run again only when the lock file changes.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch "$@"

# Translations: the .po files are the source; the compiled .mo files are not committed.
# django.po for pages and admin; djangojs.po for the admin's scripts (calendar, clock).
LOCALE_PO := $(wildcard locale/*/LC_MESSAGES/*.po)
LOCALE_MO := $(LOCALE_PO:.po=.mo)
locale/%.mo: locale/%.po
	msgfmt --check-format -o "$@" "$<"

FRONTEND := node_modules/.package-lock.json $(LOCALE_MO)

# Development targets run with DEBUG on unless the caller set DJANGO_DEBUG.
run test test-browser screenshots: export DJANGO_DEBUG ?= 1

run: $(VENV)/.installed-run $(FRONTEND)
	$(MANAGE) migrate --noinput
	$(MANAGE) loaddemo
	$(MANAGE) runserver 127.0.0.1:8000

# pyproject's addopts carry -m 'not browser and not screenshots'; pytest keeps the last -m
# given, so the -m here (which comes after addopts) selects the browser tests.
test: test-deps
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# What the test commands need, without running anything (.ci/run starts suites side by side).
test-deps: $(VENV)/.installed-dev $(FRONTEND)

test-browser: $(VENV)/.installed-dev $(FRONTEND)
	$(VENV)/bin/pytest -m browser tests/browser $(PYTEST_ARGS)

# Screenshots of the main page types at phone and desktop width, into docs/screenshots/.
screenshots: $(VENV)/.installed-dev $(FRONTEND)
	$(VENV)/bin/pytest -m screenshots tests/browser -p no:cacheprovider $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# Production-like: DEBUG stays off, so the environment must provide at least
# DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); REDIS_URL
# and the email settings as in docs/configuration.md. Run `manage.py migrate` first when the
# schema changed. TLS is expected to end at a proxy in front of gunicorn. gunicorn.conf.py
# trusts only the proxy header Django trusts, masks tokens in the access log (stdout) and
# sends no Server header. Mail is sent by a worker: `manage.py serve` starts gunicorn and
# `manage.py db_worker` (django-tasks-db, the production task backend) side by side and stops
# both together on Ctrl-C or SIGTERM, or when either one exits.
serve: $(VENV)/.installed-run $(FRONTEND)
	$(MANAGE) collectstatic --noinput
	$(MANAGE) serve --bind 127.0.0.1:8000 --workers 3

clean:
	rm -rf "$(VENV)" db.sqlite3 staticfiles build/static node_modules $(LOCALE_MO)

help:
	@sed -n 's/^#   make /make /p' $(firstword $(MAKEFILE_LIST))

FORCE:

.PHONY: run test test-deps test-browser screenshots lint serve clean help FORCE
