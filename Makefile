# qra — the README's two commands are `make demo` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := $(abspath .venv)
VPY := $(VENV)/bin/python
CARGO ?= cargo
PYLIB := $(shell $(PY) -c 'import sysconfig; print(sysconfig.get_config_var("LIBDIR") or "")')
export CARGO_TERM_COLOR := never
export LD_LIBRARY_PATH := $(PYLIB):$(LD_LIBRARY_PATH)

.PHONY: demo test lint rust-test build py-test stubtest notebooks validate-fast validate bench clean browser

## demo: create the venv, build the package, run the demo study into ./qra-demo
demo: build
	$(VENV)/bin/qra demo -o qra-demo

## test: every check — formatting, clippy, import cycles, Rust tests, pytest, stubtest, notebooks, fast validation
test: lint rust-test build browser py-test stubtest notebooks validate-fast
	@echo "make test: all checks passed"

$(VENV)/.stamp: requirements-dev.txt
	$(PY) -m venv $(VENV)
	$(VPY) -m pip install -q --upgrade pip
	$(VPY) -m pip install -q -r requirements-dev.txt
	touch $@

build: $(VENV)/.stamp
	cd qra-py && VIRTUAL_ENV=$(VENV) PATH=$(VENV)/bin:$$PATH $(VENV)/bin/maturin develop --release -q

lint: $(VENV)/.stamp
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(VENV)/bin/ruff check qra-py/python qra-py/tests tools notebooks validation
	$(PY) tools/check_import_cycles.py qra-core/src

rust-test:
	$(CARGO) test --workspace

# Headless Chromium for the HTML-report browser test (Debian package; installed when root).
browser:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; } || \
	  echo "warning: chromium not installed; the browser test will be skipped"

py-test: build
	cd qra-py && QRA_REQUIRE_BROWSER=$$(command -v chromium >/dev/null && echo 1 || echo 0) $(VPY) -m pytest -q

stubtest: build
	$(VPY) -m mypy.stubtest qra --allowlist qra-py/stubtest-allowlist.txt

notebooks: build
	$(VPY) tools/run_notebooks.py notebooks

validate-fast:
	$(CARGO) run -q -p qra-validation --bin qra-validate -- --fast

## validate: all validation cases; regenerates validation/REPORT.md and its plots
validate: build
	$(CARGO) run -q --release -p qra-validation --bin qra-validate -- --json validation/results.json
	$(VPY) validation/plot.py validation/results.json validation/plots
	$(CARGO) run -q --release -p qra-validation --bin qra-validate -- --report validation/REPORT.md

bench:
	$(CARGO) bench -p qra-benches

clean:
	$(CARGO) clean
	rm -rf $(VENV) qra-demo
