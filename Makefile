# Two commands for a fresh machine: `make run` serves the portal, `make test` runs every test.
# Both install from the lock file constraints.txt (exact versions of everything); `make lock` regenerates it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCK := constraints.txt
UV_VERSION := 0.13.9
LOCALES := app/locales

.PHONY: run test test-postgres browser postgres lint bench load profile backup lock messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# what the portal needs, at the locked versions
$(VENV)/.installed-run: pyproject.toml $(LOCK) | $(VENV)/bin/python
	$(PY) -m pip install --quiet -c $(LOCK) -e .
	$(VENV)/bin/pybabel -q compile -d $(LOCALES) -D messages
	touch $@

# and the test tools
$(VENV)/.installed-test: pyproject.toml $(LOCK) | $(VENV)/bin/python
	$(PY) -m pip install --quiet -c $(LOCK) -e '.[test]'
	$(VENV)/bin/pybabel -q compile -d $(LOCALES) -D messages
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(PY) main.py

# The lock: every package of the portal, its test tools and the PostgreSQL driver, for Python 3.11+ on any platform.
# Versions already in it are kept; `make lock UPGRADE=1` moves everything to the newest allowed by pyproject.toml.
lock: | $(VENV)/bin/python
	$(PY) -m pip install --quiet 'uv==$(UV_VERSION)'
	$(VENV)/bin/uv pip compile pyproject.toml --extra test --extra postgres --universal --python-version 3.11 \
		--custom-compile-command 'make lock' --quiet $(if $(UPGRADE),--upgrade) -o $(LOCK)

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
test: $(VENV)/.installed-test browser postgres
	$(PY) -m ruff check .
	$(PY) -m pytest -n 2 --dist loadfile
	$(PY) -m tests.with_postgres $(PY) -m pytest -q -n 2 --dist loadfile tests/unit || [ $$? = 77 ]

test-postgres: $(VENV)/.installed-test postgres
	$(PY) -m tests.with_postgres $(PY) -m pytest -q -n 2 --dist loadfile tests/unit

lint: $(VENV)/.installed-test
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(VENV)/.installed-test
	$(PY) bench/catalogue.py

load: $(VENV)/.installed-test
	$(PY) bench/load.py

# where each page's server time goes: CPU ms per build, elements, memory per open page, time per part
profile: $(VENV)/.installed-test
	$(PY) bench/profile_pages.py --memory 10

# the database and its images into data/backups/stockfront-STAMP/ while the portal runs (stockfront restore brings it back)
backup: $(VENV)/.installed-run
	$(VENV)/bin/stockfront backup

# The catalogues: every translatable text of the code into messages.pot, then merged into each language's .po
# (new texts arrive untranslated and fuzzy guesses are off: tests/unit/test_translations.py names what is missing).
messages: $(VENV)/.installed-run
	mkdir -p $(LOCALES)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-location --sort-output --omit-header --project=Stockfront \
		-k _ -k N_ -k ngettext:1,2 -k ValidationError -k NotFound -k Message -o $(LOCALES)/messages.pot .
	for language in nl de; do \
		$(VENV)/bin/pybabel -q update --no-fuzzy-matching --ignore-obsolete -i $(LOCALES)/messages.pot \
			-d $(LOCALES) -D messages -l $$language --init-missing; \
	done
