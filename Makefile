# Two commands for a newcomer: `make run` (demo server) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run test bench clean desktop-bundle

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	touch $@

run: $(VENV)/.installed
	$(PY) -m server --demo

test: $(VENV)/.installed
	$(PY) -m pytest

bench: $(VENV)/.installed
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
