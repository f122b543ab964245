# coalition-docs: `make build` sets everything up and builds the example coalition;
# `make test` adds the test needs and runs the whole suite; `make test-fast` leaves out the
# tests marked slow or browser (pyproject.toml), the loop to run while changing the code
# (about 50 s on 2 cores with nothing else running, 85-97 CPU seconds; docs/code-layout.md, section "Tests").

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CONTENT ?= content
OUT ?= build

# Debian packages: WeasyPrint's libraries (Pango is usually present already;
# libharfbuzz-subset0 makes PDFs faster and byte-stable).
# The fonts documents print every script with (documents/fonts.py names the files).
APT_BUILD := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-noto-cjk fonts-symbola
# Extra for the tests: headless Chromium for browser tests, poppler for PDF pictures;
# Node and npm (for axe-core) only when the machine has no npm of its own.
APT_TEST := chromium poppler-utils $(if $(shell command -v npm),,nodejs npm)
# Extra for the benchmarks: Hugo, the yardstick for the site build.
APT_BENCH := hugo

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build test test-fast check serve bench clean messages system-build system-test bytecode

build: $(VENV)/.installed system-build bytecode
	$(BIN)/coalition-docs build $(CONTENT) --out $(OUT)

check: $(VENV)/.installed bytecode
	$(BIN)/coalition-docs check $(CONTENT)

serve: $(VENV)/.installed system-build bytecode
	$(BIN)/coalition-docs serve $(CONTENT)

# Tests run in a process per core (pytest-xdist); each test has its own folders and ports.
# The fast loop hands each module whole to one process (--dist loadfile), so that a module's
# shared build is made once; the whole suite spreads its tests one by one (the default).
# pytest keeps the test modules with their asserts rewritten in __pycache__, as Python keeps
# bytecode; on a machine that sets PYTHONDONTWRITEBYTECODE it would rewrite them, and every
# module of hypothesis (a pytest plugin), again in each test process on every run.
PYTEST := env -u PYTHONDONTWRITEBYTECODE $(BIN)/python -m pytest

test: $(VENV)/.installed-test system-build system-test node_modules/.installed bytecode
	$(PYTEST) -q -n auto

test-fast: $(VENV)/.installed-test system-build bytecode
	$(PYTEST) -q -n auto --dist loadfile -m "not slow and not browser"

bench: $(VENV)/.installed-test system-build bytecode
	@dpkg -s $(APT_BENCH) >/dev/null 2>&1 || { $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $(APT_BENCH); }
	$(BIN)/python benchmarks/bench_load.py
	$(BIN)/python benchmarks/bench_site.py
	$(BIN)/python benchmarks/bench_letters.py
	$(BIN)/python benchmarks/bench_build.py --partners 100 1000
	$(BIN)/python benchmarks/bench_rename.py

# The theme's words: extract every template word and vocabulary label (babel.cfg)
# into locale/messages.pot and add new ones, untranslated, to every catalog.
# Catalogs are read as .po at run time; tests/test_i18n.py fails on an empty entry.
LOCALE := src/coalition_docs/locale
messages: $(VENV)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg --sort-by-file --no-wrap --project coalition-docs \
	  --copyright-holder "coalition-docs contributors" -o $(LOCALE)/messages.pot .
	$(BIN)/pybabel -q update -i $(LOCALE)/messages.pot -d $(LOCALE) --no-fuzzy-matching --no-wrap --ignore-obsolete
	@# no dates or placeholders in the header: the same words give the same files
	@sed -i '/^"\(POT-Creation-Date\|PO-Revision-Date\|Report-Msgid-Bugs-To\):/d' $(LOCALE)/messages.pot $(LOCALE)/*/LC_MESSAGES/messages.po

# Install the Debian packages that are missing, once (apt-get update only if needed).
system-build:
	@missing=""; for p in $(APT_BUILD); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

system-test:
	@missing=""; for p in $(APT_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing Debian packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; fi

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml setup.py
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

# The package's compiled bytecode, as pip writes it for an installed package: an editable
# install runs from src/, and a machine that sets PYTHONDONTWRITEBYTECODE would otherwise
# compile every module again on each command (a twentieth of a second). Only what changed.
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q src/coalition_docs

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

clean:
	rm -rf $(OUT) .pytest_cache
