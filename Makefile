# The two front-door commands: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test lint bench clean letter-libs chromium vendor ckan-env

# Serving needs only the runtime dependencies; the test tools come with `make test`.
RUNTIME := $(VENV)/.runtime
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

## install the runtime, migrate, load the demo catalogue if the database is empty, serve on :8000
serve: $(RUNTIME) letter-libs
	$(VENV)/bin/opendata serve $(ARGS)

# one pytest worker per core (at most 4), each test file whole in one worker: a file's
# module-scoped servers start once, and no two workers share a database or a port
PYTEST_ARGS ?= -n auto --maxprocesses=4 --dist loadfile

## install with the test tools and run the whole suite (ruff, mypy, pytest on SQLite and PostgreSQL)
test: $(STAMP) letter-libs chromium ckan-env
	$(VENV)/bin/ruff check opendata tests bench
	$(VENV)/bin/mypy opendata
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check opendata tests bench
	$(VENV)/bin/mypy opendata

bench: $(STAMP)
	$(PY) bench/run.py $(ARGS)

# Debian packages, installed only when missing (root, as on the developers' machines and CI)
LETTER_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

## Pango and a font from Debian: WeasyPrint draws the official letters with them
letter-libs:
	@dpkg -s $(LETTER_LIBS) >/dev/null 2>&1 || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(LETTER_LIBS))

## Debian's Chromium for the portal's browser tests (Playwright drives /usr/bin/chromium)
chromium:
	@test -x /usr/bin/chromium || (apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium)

## refresh the portal's vendored scripts and styles from the npm registry (pinned versions)
vendor: $(STAMP)
	$(PY) -m opendata.portal.vendor_assets

# CKAN 2.11 with its own pinned requirements, ckanext-harvest, ckanext-dcat and ckanapi, in a
# venv of their own: the interop tests run these real clients against our CKAN Action API.
CKAN_VENV ?= .ckan-venv
CKAN_ENV := tests/interop/ckan_env
CKAN_STAMP := $(CKAN_VENV)/.installed
$(CKAN_STAMP): $(CKAN_ENV)/requirements.txt $(CKAN_ENV)/clients.txt
	$(PYTHON) -m venv $(CKAN_VENV)
	$(CKAN_VENV)/bin/python -m pip install --quiet --upgrade pip setuptools wheel
	$(CKAN_VENV)/bin/python -m pip install --quiet -r $(CKAN_ENV)/requirements.txt -r $(CKAN_ENV)/clients.txt
	touch $(CKAN_STAMP)

## build .ckan-venv/: CKAN 2.11, ckanext-harvest, ckanext-dcat, ckanapi (the interop tests' clients)
ckan-env: $(CKAN_STAMP)

clean:
	rm -rf $(VENV) $(CKAN_VENV) .opendata .pytest_cache
