# The two commands in the README: `make run` and `make test` (lint, then the whole suite; CI runs it).
# `make check` is the fast loop: lint plus the tests that are neither browser nor slow, on two workers.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= data/trivsel.duckdb

.PHONY: run test check lint format bench mutants
LINTED := src tests pages app.py asgi.py benchmarks scripts

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev]'
	touch $@

run: $(BIN)/.installed
	$(BIN)/trivsel demo --if-empty --db $(DB)
	TRIVSEL_DB=$(DB) $(BIN)/python -m trivsel.web --server.address 127.0.0.1 --server.port 8501 --server.headless true

test: lint
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-tools.sh
	$(BIN)/python -m pytest

check: lint
	$(BIN)/python -m pytest -m "not browser and not slow" -n 2 -q

lint: $(BIN)/.installed
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

format: $(BIN)/.installed
	$(BIN)/ruff format $(LINTED)
	$(BIN)/ruff check --fix $(LINTED)

# The benchmarks of issues 8 and 22: prints the table and writes docs/benchmarks.md (not part of `make test`).
bench: $(BIN)/.installed
	$(BIN)/python -m benchmarks

# The mutation run of docs/testing.md: small leaks put into the disclosure code, one at a time, in a
# temporary copy; fails when the tests miss one that is not listed as explained.
mutants: $(BIN)/.installed
	$(BIN)/python scripts/mutants.py
