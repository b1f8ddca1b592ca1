# Two commands for a fresh machine: `make run` serves the portal, `make test` runs every test.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test browser lint bench load backup

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

test: $(VENV)/.installed browser
	$(PY) -m ruff check .
	$(PY) -m pytest

lint: $(VENV)/.installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

bench: $(VENV)/.installed
	$(PY) bench/catalogue.py

load: $(VENV)/.installed
	$(PY) bench/load.py

backup: $(VENV)/.installed
	$(PY) -m app.backup
