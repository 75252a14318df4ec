# liveledger: two commands for a new user (see README):
#   make demo   build the warehouse from the bundled sample, publish a read-only
#               snapshot of the marts and print a summary
#   make test   run every test: pytest, dbt build on the test data, then
#               make lint (ruff check, ruff format --check and mypy on the
#               Python; sqlfluff and the macro lint on the SQL)
#   make docs   build the dbt docs as one HTML file and open it
#   make evaluate [SPLIT=dev|test|sample]  score the stance facts on a corpus split
#   make screenshot  refresh docs/report.png from the sample in headless Chromium
# Both create the Python environment first if it is missing or stale.

PYTHON ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := samples/ap-the-latest-venezuela-2019-01-24.txt
TEST_DB := warehouse/test.duckdb

export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: demo test test-python test-dbt test-reliability lint docs env clean test-spark bench \
	evaluate system-deps screenshot

demo: $(VENV)/.synced
	$(BIN)/liveledger load $(SAMPLE)
	$(BIN)/liveledger build
	$(BIN)/liveledger publish
	$(BIN)/liveledger summary
	$(BIN)/liveledger report

test: system-deps test-python test-dbt lint

# The report test drives headless Chromium. Debian's chromium and
# chromium-driver are installed with apt-get when missing (as root, or
# through sudo); where there is no apt-get this says what to install, and
# the test is skipped (it fails instead under CI=true). Recommended
# packages are kept: they bring the fonts the screenshot is drawn in.
SUDO := $(if $(filter 0,$(shell id -u)),,$(shell command -v sudo 2>/dev/null))
system-deps:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then \
		echo "system-deps: chromium and chromedriver are installed"; \
	elif command -v apt-get >/dev/null 2>&1; then \
		echo "system-deps: installing chromium and chromium-driver with apt-get"; \
		$(SUDO) apt-get update && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	else \
		echo "system-deps: chromium and chromedriver are missing and there is no apt-get;" \
			"install them with your package manager (the report test is skipped" \
			"without them, and fails under CI=true)" >&2; \
	fi

# The README's screenshot of the report, taken by the report test; fails
# (never skips) when Chromium is missing.
screenshot: system-deps $(VENV)/.synced
	LIVELEDGER_SCREENSHOT=$(CURDIR)/docs/report.png $(BIN)/pytest -q \
		tests/python/test_report.py -k renders_every_chart

test-python: $(VENV)/.synced
	$(BIN)/pytest

# dbt build (seeds, models, data tests, unit tests) on the parser test corpus,
# in a database of its own that is made afresh each time (its journal in the
# archive too: a database missing the loads its journal records is refused).
test-dbt: $(VENV)/.synced
	rm -f $(TEST_DB) $(TEST_DB).wal $(dir $(TEST_DB))archive/$(basename $(notdir $(TEST_DB))).journal.jsonl
	LIVELEDGER_DB=$(TEST_DB) $(BIN)/liveledger load $(SAMPLE) tests/data/blogs/*.txt
	LIVELEDGER_DB=$(TEST_DB) $(BIN)/liveledger build

# The stance facts scored on a split of tests/data/stances (dev, test or
# sample), built afresh in warehouse/eval-$(SPLIT).duckdb; see README.
SPLIT ?= dev
evaluate: $(VENV)/.synced
	$(BIN)/liveledger evaluate --split $(SPLIT) --build

# The crash and concurrency tests at a size too slow for every `make test`.
test-reliability: $(VENV)/.synced
	$(BIN)/pytest tests/python/test_crash.py tests/python/test_concurrency.py \
		tests/python/test_kill_campaign.py -s \
		--crash-runs 200 --concurrency-rounds 10 --kill-runs 20

# The Python (loaders and tests; settings in pyproject.toml) with ruff
# (lint, and the formatting check) and mypy, then the SQL with sqlfluff.
# The macros (and the generic tests in tests/generic, macros too) are
# linted through the SQL they write: sqlfluff skips macro files (dbt
# templater) or renders them to nothing (jinja templater), so tests/lint
# calls each one and lints its output with the same rules.
lint: $(VENV)/.synced
	$(BIN)/ruff check loaders tests
	$(BIN)/ruff format --check loaders tests
	$(BIN)/mypy
	$(BIN)/sqlfluff lint models analyses tests
	$(BIN)/pytest tests/lint -q -p no:cacheprovider

# One self-contained HTML file (target/static_index.html) with every model,
# column description, test, analysis and the report's exposure; the catalog
# (column types) comes from the warehouse, so run `make demo` first.
DOCS := target/static_index.html
docs: $(VENV)/.synced
	$(BIN)/dbt docs generate --static --profiles-dir .
	@echo "docs: $(CURDIR)/$(DOCS)"
	@if command -v xdg-open >/dev/null 2>&1; then xdg-open $(DOCS) 2>/dev/null || true; \
	elif command -v open >/dev/null 2>&1; then open $(DOCS) || true; fi

# The same project on Apache Spark (local session, pyspark in-process),
# every table of every layer compared with the DuckDB build cell for cell.
# Needs the spark extra (installed here) and Java 17+.
test-spark: $(VENV)/.synced-spark
	@command -v java >/dev/null || { echo "make test-spark: Java 17+ is needed and java is not on PATH (Debian: apt-get install openjdk-17-jre-headless)" >&2; exit 1; }
	$(BIN)/pytest -m spark

# Loader and build speed at 10k-1M generated entries, side by side with
# DuckDB's read_json, dlt and the same SQL without dbt; writes the table into
# BENCHMARKS.md. Takes about an hour; not part of make test (a smoke run is).
# BENCH_ARGS passes options, e.g. BENCH_ARGS="--load-sizes 10000 --build-sizes 10000 --large-build-sizes 20000".
BENCH_ARGS ?=
bench: $(VENV)/.synced-bench
	$(BIN)/python -m liveledger.bench $(BENCH_ARGS)

env: $(VENV)/.synced

# uv comes from PyPI into a small venv of its own; it then builds .venv
# from the lock file (exact versions) and installs liveledger editable.
$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra dev --python $(PYTHON)
	touch $@

# pyspark is large, so only test-spark installs it. A later plain sync
# (a newer .synced) removes it again, and then this re-runs.
$(VENV)/.synced-spark: $(VENV)/.synced
	$(UV) sync --frozen --extra dev --extra spark --python $(PYTHON)
	rm -f $(VENV)/.synced-bench
	touch $@

# dlt, for the benchmark's baseline only; the same dance as the spark extra.
$(VENV)/.synced-bench: $(VENV)/.synced
	$(UV) sync --frozen --extra dev --extra bench --python $(PYTHON)
	rm -f $(VENV)/.synced-spark
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) target logs warehouse bench
