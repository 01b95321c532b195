# Two commands on a fresh machine: `make maps` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PY_OK  := $(VENV)/.installed
MAPS_OK := $(VENV)/.installed-maps
PIP    := $(BIN)/python -m pip install -q --disable-pip-version-check
JS_OK  := node_modules/.installed
SYS_OK := .system-deps-ok

.PHONY: maps test lint bench setup node_modules clean

# Quiet unless something goes wrong (errors go to standard error): one line says where the maps are.
maps: $(MAPS_OK) $(JS_OK)
	@$(BIN)/cpec-map build > /dev/null
	@$(BIN)/cpec-map build --offline --out maps_out/offline > /dev/null
	@echo "maps written: maps_out/index.html and maps_out/offline/index.html"

test: $(PY_OK) $(JS_OK) $(SYS_OK)
	$(BIN)/ruff check geo tests bench
	$(BIN)/python -m pytest -q

lint: $(PY_OK)
	$(BIN)/ruff check geo tests bench

bench: $(PY_OK) $(JS_OK) $(SYS_OK)
	$(BIN)/python -m bench

setup: $(PY_OK) $(JS_OK) $(SYS_OK)

$(VENV)/bin/python:
	@$(PYTHON) -m venv $(VENV)
	@$(PIP) --upgrade pip

# Building maps needs the package alone; tests add the test extras.
$(MAPS_OK): pyproject.toml | $(VENV)/bin/python
	@$(PIP) -e .
	@touch $@

$(PY_OK): pyproject.toml | $(VENV)/bin/python
	@$(PIP) -e '.[test]'
	@touch $@ $(MAPS_OK)

node_modules: $(JS_OK)

# Front-end assets for offline maps, pinned by package-lock.json.
$(JS_OK): package.json package-lock.json
	@npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --silent
	@touch $@

# Debian's Chromium for the browser tests (Playwright cannot download its own here), GDAL's
# command-line tools for reading exports back, and poppler's pdftoppm for reading figures' PDFs back.
$(SYS_OK):
	@if ! command -v chromium >/dev/null || ! command -v ogrinfo >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq --no-install-recommends chromium gdal-bin poppler-utils; \
	fi
	touch $@

clean:
	rm -rf $(VENV) node_modules maps_out/* $(SYS_OK)
