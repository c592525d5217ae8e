# Borderpost: `make demo` runs the demo, `make test` runs the whole suite. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/borderpost/web/static/vendor
ASSETS := $(VENDOR)/versions.json

.PHONY: setup chromium demo test lint format serve clean

# Python packages, the pages' browser assets (npm registry -> static/vendor, served locally) and
# Debian's chromium for the browser tests.
setup: $(STAMP) $(ASSETS) chromium

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(ASSETS): package.json package-lock.json scripts/build_assets.py
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) scripts/build_assets.py

chromium:
	@scripts/ensure_chromium.sh

# The demo needs the packages and the pages' assets, not the test browser.
demo: $(STAMP) $(ASSETS)
	$(BIN)/borderpost demo

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# The suite runs in parallel, one pytest-xdist worker per core, each with databases of its own
# (tests/conftest.py names them by process id). PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

# Compiled modules (and pytest's rewritten test modules) are kept under build/ even where
# PYTHONDONTWRITEBYTECODE is set: otherwise every worker, and every server the crash test
# starts, compiles them all again (a few seconds of CPU each time).
test: setup lint
	PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/build/pycache \
		$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

serve: $(STAMP) $(ASSETS)
	$(BIN)/borderpost db upgrade && $(BIN)/borderpost serve

clean:
	rm -rf $(VENV) build dist *.egg-info borderpost-demo.db* node_modules $(VENDOR)
