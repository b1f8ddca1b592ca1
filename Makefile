# Two commands for a fresh machine: `make run` serves the portal, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test test-postgres browser postgres lint bench load backup

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

run: $(VENV)/.installed
	$(PY) main.py

browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		true; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo 'Installing Chromium and ChromeDriver for the browser tests...'; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo 'The browser tests need Chromium and ChromeDriver: sudo apt-get install chromium chromium-driver'; \
		exit 1; \
	fi

postgres:
	@if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then \
		true; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo 'Installing PostgreSQL for the service tests on PostgreSQL...'; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
			|| echo 'PostgreSQL could not be installed: the run on PostgreSQL is skipped.'; \
	else \
		echo 'The service tests on PostgreSQL need it: sudo apt-get install postgresql (skipped without it)'; \
	fi

# every test on SQLite, then the service tests again on a throw-away PostgreSQL server (skipped, 77, without one)
test: $(VENV)/.installed browser postgres
	$(PY) -m ruff check .
	$(PY) -m pytest
	$(PY) -m tests.with_postgres $(PY) -m pytest -q tests/unit || [ $$? = 77 ]

test-postgres: $(VENV)/.installed postgres
	$(PY) -m tests.with_postgres $(PY) -m pytest -q tests/unit

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(VENV)/.installed
	$(PY) bench/catalogue.py

load: $(VENV)/.installed
	$(PY) bench/load.py

backup: $(VENV)/.installed
	$(PY) -m app.core.backup
