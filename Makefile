# The two front-door commands: `make serve` and `make test`. Each installs what it needs.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: serve test lint bench clean chromium vendor

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
serve: $(RUNTIME)
	$(VENV)/bin/opendata serve $(ARGS)

## install with the test tools and run the whole suite (ruff, mypy, pytest on SQLite and PostgreSQL)
test: $(STAMP)
	$(VENV)/bin/ruff check opendata tests bench
	$(VENV)/bin/mypy opendata
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check opendata tests bench
	$(VENV)/bin/mypy opendata

bench: $(STAMP)
	$(PY) bench/run.py $(ARGS)

## Debian's Chromium for the portal's browser tests (Playwright drives /usr/bin/chromium)
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium)

## refresh the portal's vendored scripts and styles from the npm registry (pinned versions)
vendor: $(STAMP)
	$(PY) -m opendata.portal.vendor_assets

clean:
	rm -rf $(VENV) .opendata .pytest_cache
