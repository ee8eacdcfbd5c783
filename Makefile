# Two commands do everything on a fresh Debian machine with Python >= 3.11 and Node >= 20:
#   make run   set up, load the registry, catalogue and DEMO data, serve http://127.0.0.1:8000/
#   make test  set up and run the whole test suite (SQLite, PostgreSQL, browser, ruff, mypy)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup setup-dev system-packages runtime-packages assets clean

# The worker beside the server runs the jobs started in the browser (refresh, brief files); it stops with it.
run: runtime-packages setup
	$(BIN)/lokalkompas migrate --no-input
	$(BIN)/lokalkompas registry load
	$(BIN)/lokalkompas catalog load
	$(BIN)/lokalkompas demo load --hvis-ingen-rigtige-data
	@echo ""
	@echo "Lokalkompas kører på http://$(HOST):$(PORT)/  (stop med Ctrl+C)"
	@echo ""
	$(BIN)/lokalkompas worker & trap 'kill $$!' EXIT; $(BIN)/lokalkompas runserver $(HOST):$(PORT)

test: setup-dev system-packages
	scripts/test.sh

setup: $(VENV)/.runtime-installed node_modules/.installed assets

setup-dev: $(VENV)/.dev-installed node_modules/.installed assets

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime-installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

$(VENV)/.dev-installed: $(VENV)/.runtime-installed requirements-dev.lock
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: $(VENV)/.runtime-installed node_modules/.installed
	$(BIN)/lokalkompas assets

system-packages:
	scripts/system-packages.sh

# The Debian libraries and font the app needs to print brief PDFs (a subset of system-packages).
runtime-packages:
	scripts/system-packages.sh --runtime

clean:
	rm -rf $(VENV) node_modules var
