# Two commands for a newcomer: `make run` (demo server) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench clean desktop-bundle catalogs

# Options for the server: make run ARGS="--port 8080 --quiet" (or for pytest: make test ARGS="-x").
ARGS ?=
AXE_VERSION := 4.14.1
AXE := tests/node/node_modules/axe-core/axe.min.js

# The runtime set only (requirements.txt): `make run` stays lean.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

# The test tools on top (requirements-test.txt), for `make test` only.
$(VENV)/.test-installed: $(VENV)/.installed requirements-test.txt
	$(VENV)/bin/pip install --quiet -r requirements-test.txt
	touch $@

# axe-core for the accessibility tests, when npm is there (they skip and say so otherwise).
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
		npm i -E --prefix tests/node --no-audit --no-fund axe-core@$(AXE_VERSION) >/dev/null; \
	else echo "npm not found: the accessibility tests will skip (apt-get install npm)"; fi

run: $(VENV)/.installed
	$(PY) -m server --demo $(ARGS)

test: $(VENV)/.test-installed $(AXE)
	$(PY) -m pytest $(ARGS)

# After a change to what the pages, the server or the desktop say: extract the messages again
# (server/locale/messages.pot) and bring each language's .po up to it; then translate what it lists
# (docs/translating.md). tests/server/test_catalogs.py fails until that is done.
catalogs: $(VENV)/.installed
	$(PY) -m server.services.language.extraction

bench: $(VENV)/.test-installed
	$(PY) tests/bench/api.py
	$(PY) tests/bench/push.py

# A one-folder desktop app for the OS this runs on, in dist/tracker-desktop/. PyInstaller is a
# build tool, not part of the pinned runtime set: it goes into build/pyinstaller, not the venv.
PYINSTALLER := pyinstaller==6.22.3
desktop-bundle: $(VENV)/.installed
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade --target build/pyinstaller $(PYINSTALLER)
	PYTHONPATH=build/pyinstaller $(PY) -m PyInstaller --noconfirm --clean --log-level WARN \
		--distpath dist --workpath build/desktop deploy/desktop/tracker-desktop.spec
	@echo "built dist/tracker-desktop/ (run dist/tracker-desktop/tracker-desktop)"

clean:
	rm -rf $(VENV) .pytest_cache build dist
