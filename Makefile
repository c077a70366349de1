# The two commands of the README, and a few more. Every target installs what it
# needs itself (a .venv with the pinned requirements), so a fresh clone with
# only Python 3.11 on the machine is enough.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
export DBT_PROFILES_DIR := $(CURDIR)
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1
# who runs a build, for audit.run_log
export USER ?= $(shell id -un)

# national-scale data for `make national` (outside the repository)
NATIONAL_DIR ?= $(CURDIR)/../data/national

# Values a user gives (VARS='{raw_path: DIR}', QUARTER=2023Q4, NATIONAL_DIR=…, on the
# command line or in the environment) are data, never code. make would expand them
# ($(shell …) runs, $(id) becomes empty) and a recipe that pastes $(VARS) into its text
# lets the shell run `…` and $(…) in them. So make keeps each one literal ($(value …))
# and exports it, and the recipes read it from the environment as one quoted word
# ("$$VARS"): it reaches the script byte for byte, quotes, ;, newlines and all.
USER_VALUES := VARS FULL_REFRESH NO_WAIT QUARTER PDF NATIONAL_DIR
$(foreach v,$(USER_VALUES),$(if $(filter command line environment,$(origin $(v))),$(eval override $(v) := $$(value $(v)))))
export $(foreach v,$(USER_VALUES),$(if $(filter undefined,$(origin $(v))),,$(v)))

SPARK_VENV := .venv-spark

.PHONY: help setup setup-spark build-spark benchmark-spark build test test-fast lint check docs publish rollback expectations privacy benchmark benchmark-growth benchmark-disclosure benchmark-disclosure-national reports clean distclean demo-data national

help:
	@echo "make build     build the warehouse on the embedded demo data (warehouse.duckdb)"
	@echo "make test      run every test (dbt data and unit tests, pytest suite, Spark equivalence)"
	@echo "make test-fast the demo build with its data and unit tests, and the pytest suite without the tests marked slow (a few minutes)"
	@echo "make build-spark  build and test the demo warehouse on Apache Spark (local SparkSession, .venv-spark, Java 17)"
	@echo "make lint      sqlfluff over the models (also part of make test)"
	@echo "make check     deprecations as errors and the project's structure rules (also in make test)"
	@echo "make publish   build, test and publish the marts for BI tools (publish/; VARS='{raw_path: DIR}', FULL_REFRESH=1, NO_WAIT=1)"
	@echo "make rollback  go back to the previous publication (NO_WAIT=1: stop if another publish or rollback runs)"
	@echo "make reports   the quarterly report per region, NL and an index from the published figures (QUARTER=2023Q4, PDF=1)"
	@echo "make docs      the dbt docs as one self-contained page: target/static_index.html"
	@echo "make expectations  run the Great Expectations checkpoint on warehouse.duckdb"
	@echo "make privacy   check that no person-level data is in the marts of warehouse.duckdb"
	@echo "make demo-data regenerate the demo seeds with the synthetic generator"
	@echo "make national  generate national-scale Parquet in NATIONAL_DIR and build it"
	@echo "make benchmark the national-scale benchmark, then growth to 4x (about an hour; writes benchmark/)"
	@echo "make benchmark-growth  the full build and a refresh at 1x, 2x and 4x the national register (about 35 minutes)"
	@echo "make benchmark-spark  one national full build on local Spark beside DuckDB's (after make benchmark)"
	@echo "make benchmark-disclosure  our disclosure control beside tau-ARGUS (after make publish)"
	@echo "make benchmark-disclosure-national  protection and audit at national scale, two vintages, beside tau-ARGUS (about 5 minutes)"
	@echo "make clean     remove everything generated (target/, logs/, warehouse files, publish/, benchmark/, caches; keeps .venv)"
	@echo "make distclean make clean, and the virtual environments (.venv, .venv-spark)"

setup: $(VENV)/.installed

# the pinned requirements, then the project's own package (banenafspraak/, editable: it
# works on this repository's files) without dependencies of its own
$(VENV)/.installed: requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e . --no-deps
	@touch $@

build: setup
	$(BIN)/dbt build

# The Spark target's own venv (dbt-spark, pyspark) and Java, so the DuckDB install stays small.
setup-spark: $(SPARK_VENV)/.installed

$(SPARK_VENV)/.installed: requirements-spark.txt
	@scripts/ensure_java.sh
	@test -x $(SPARK_VENV)/bin/python || $(PYTHON) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-spark.txt
	@touch $@

# One dbt invocation (Spark starts once): seeds, models, data tests, unit tests.
# The Spark warehouse and its metastore are in SPARK_HOME_DIR (default target/spark).
build-spark: setup-spark
	$(SPARK_VENV)/bin/dbt build --target spark --full-refresh --target-path target/spark-dbt --log-path target/spark-dbt/logs

# Two pytest workers, one per core (measured on a fresh clone: 2 workers 49 min, 3 workers
# 51-53 min, the Spark file slowing most under contention); the longest test files start
# first, in the order given (--no-loadscope-reorder; tests/python/conftest.py, LONGEST_FIRST)
# so that none runs alone at the end.
# The two venvs install side by side (pip mostly waits on files and the index), then
# the checks and the lint (one after the other: both write target/), then the suite.
test:
	$(MAKE) --no-print-directory -j2 --output-sync=target setup setup-spark
	$(MAKE) --no-print-directory check lint
	-@scripts/ensure_chromium.sh
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder tests/python

# The quick loop while developing: the demo build (models, data tests, unit tests) and
# pytest without the tests marked slow (@pytest.mark.slow: those that build or publish
# whole extra warehouses: Spark, fuzzing, typed inputs, bad inputs, incremental,
# idempotency, run log, publication and its faults and concurrency, reports, mutation
# checks, lint of a project copy). make test runs them all.
test-fast: setup
	$(BIN)/dbt build
	$(BIN)/python -m pytest -n 2 --dist loadfile -m "not slow" tests/python

publish: setup
	$(BIN)/python -m banenafspraak publish $${VARS:+--vars "$$VARS"} $${FULL_REFRESH:+--full-refresh} $${NO_WAIT:+--no-wait}

rollback: setup
	$(BIN)/python -m banenafspraak publish --rollback $${NO_WAIT:+--no-wait}

reports: setup
	$(BIN)/python -m banenafspraak reports $${QUARTER:+--quarter "$$QUARTER"} $${PDF:+--pdf}

# two processes: 91 s -> 54 s on 2 cores (the dbt templater compiles the project once)
lint: setup
	$(BIN)/sqlfluff lint models --processes 2

check: setup
	$(BIN)/dbt parse --show-all-deprecations --no-partial-parse --warn-error
	$(BIN)/python -m banenafspraak check-project
	$(BIN)/ruff check banenafspraak scripts
	$(BIN)/mypy

docs: setup
	@test -f "$${WAREHOUSE_PATH:-warehouse.duckdb}" || $(BIN)/dbt build
	$(BIN)/dbt docs generate --static
	$(BIN)/python -m banenafspraak docs-coverage
	@echo "docs: open target/static_index.html in a browser; it needs no server"

expectations: setup
	$(BIN)/python -m banenafspraak expectations

privacy: setup
	$(BIN)/python -m banenafspraak privacy

demo-data: setup
	$(BIN)/python -m banenafspraak generate-raw --scale demo --format csv --faults --out seeds/demo

# dbt's vars as JSON written by Python: a path with quotes, commas or braces stays one value
national: setup
	$(BIN)/python -m banenafspraak generate-raw --scale national --format parquet --out "$$NATIONAL_DIR"
	WAREHOUSE_PATH="$$NATIONAL_DIR.duckdb" $(BIN)/dbt build --vars "$$($(BIN)/python -c 'import json, os; print(json.dumps({"raw_path": os.environ["NATIONAL_DIR"], "raw_format": "parquet"}))')"

benchmark: setup
	$(BIN)/python -m banenafspraak benchmark --data "$$NATIONAL_DIR" --out benchmark
	$(BIN)/python -m banenafspraak benchmark-growth --data "$$NATIONAL_DIR" --out benchmark

# the full build at 1x, 2x and 4x the national register (extracts generated when absent)
benchmark-growth: setup
	$(BIN)/python -m banenafspraak benchmark-growth --data "$$NATIONAL_DIR" --out benchmark

# one national full build on local Spark, beside DuckDB's (after make benchmark)
benchmark-spark: setup setup-spark
	$(BIN)/python -m banenafspraak benchmark --data "$$NATIONAL_DIR" --out benchmark --spark

# our disclosure control beside tau-ARGUS per table, on the build warehouse of the last `make publish`
benchmark-disclosure: setup
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-benchmark.txt
	$(BIN)/python -m banenafspraak benchmark-disclosure --out benchmark/disclosure

# the national extracts of make benchmark (generated when absent): two vintages built,
# published into benchmark/disclosure-national/publish, and the second beside tau-ARGUS
benchmark-disclosure-national: setup
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-benchmark.txt
	$(BIN)/python -m banenafspraak benchmark-disclosure-national --data "$$NATIONAL_DIR" --out benchmark/disclosure-national

# Everything the targets and tests generate (see .gitignore); the .venv stays (make distclean).
clean:
	rm -rf target logs *.duckdb *.duckdb.wal *.duckdb.tmp \
		publish benchmark audit_traces $(SPARK_VENV) .pytest_cache spark-warehouse metastore_db derby.log dbt_packages
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
