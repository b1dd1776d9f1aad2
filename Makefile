# One command to serve the site, one to test it: see README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup browser nginx build wheel serve test test-fast bundle clean

# XlsxWriter's wheel, as published on PyPI, for the in-browser .xlsx export: the site build copies it
# into assets/wheels/ (sitebuild/runtime.py). Downloaded, never committed; the version is the
# one pinned in requirements.txt.
XLSXWRITER := $(shell sed -n 's/^XlsxWriter==//p' requirements.txt)
# The engine that builds the site (MkDocs 1.6 or ProperDocs): requirements.txt's one line
# `-r engines/<name>.txt` picks it (sitebuild/engine.py; docs/editors.md says how to switch).
ENGINE := $(shell sed -n 's#^-r engines/\([A-Za-z0-9_-]*\)\.txt.*#\1#p' requirements.txt)
XLSXWRITER_WHEEL := .cache/wheels/xlsxwriter-$(XLSXWRITER)-py3-none-any.whl

setup: $(VENV)/.installed node_modules/.package-lock.json $(XLSXWRITER_WHEEL)

$(VENV)/.installed: requirements.txt $(wildcard engines/*.txt) pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	# This repository, editable: registers the build plugin (gm-portal) with the engine and makes
	# scorer/, portal/, sitebuild/ and macros/ importable from the working tree (pyproject.toml).
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

# The pinned Pyodide runtime (package-lock.json) that the site build vendors for the in-browser scorer.
# npm writes node_modules/.package-lock.json on every install: it is the stamp, re-touched so a lock
# file older than the last install never triggers a second one.
node_modules/.package-lock.json: package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(XLSXWRITER_WHEEL): requirements.txt | $(VENV)/.installed
	$(PY) -m pip download --quiet --disable-pip-version-check --no-deps --only-binary=:all: XlsxWriter==$(XLSXWRITER) -d .cache/wheels
	touch $@

# Debian's Chromium for the real-browser tests (Playwright cannot download its own here).
browser:
	tools/ensure-chromium

# Debian's nginx for the intranet-bundle test, which serves the bundle with the nginx.conf it ships.
nginx:
	tools/ensure-nginx

build: setup
	$(PY) -m scorer validate
	$(PY) -m $(ENGINE) build --strict --quiet

# `make serve PORT=8080` serves on another port when 8000 is taken.
PORT ?= 8000

serve: build
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory site

test: setup browser nginx
	$(PY) -m pytest

# The fast tier: unit and data tests only, no site build, browser, Node/Pyodide or nginx/Java
# (which tests those are is derived in site_tests/tiers.py). `make test` stays the whole suite.
test-fast: setup
	$(PY) -m pytest --fast

# The intranet bundle: dist/guangming-portal-<YYYYMMDD>-<commit>.zip with site/, DEPLOY.md and
# nginx.conf (sitebuild/bundle.py).
bundle: build
	$(PY) -m sitebuild.bundle --site site --out dist

clean:
	rm -rf site dist build $(VENV) node_modules .pytest_cache
