# errspec. On a fresh machine: `make generate`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
BASE ?= $(shell git merge-base HEAD origin/main 2>/dev/null || git merge-base HEAD main 2>/dev/null || echo HEAD)

.PHONY: install generate check test lint bench breaking clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# Wheels for the offline install test of the Python SDK (tests/test_consumers_python.py).
	$(BIN)/python -m pip download --quiet --only-binary=:all: --dest $(VENV)/wheels pydantic==2.14.4
	touch $@

$(NODE_INSTALLED): package.json package-lock.json
	SCARF_ANALYTICS=false DO_NOT_TRACK=1 npm ci --no-audit --no-fund --no-update-notifier --silent
	touch $@

install: $(INSTALLED) $(NODE_INSTALLED)

generate: $(INSTALLED)
	$(BIN)/errspec generate

check: $(INSTALLED)
	$(BIN)/errspec check

test: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/python -m pytest

lint: $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/errspec check
	$(BIN)/python -m mypy --strict generator generated/python
	$(BIN)/python -m black --check generator tests bench

bench: $(INSTALLED)
	$(BIN)/python -m bench

breaking: $(INSTALLED)
	$(BIN)/errspec diff --against $(BASE)

clean:
	rm -rf $(VENV) node_modules .errspec-cache .pytest_cache .mypy_cache .hypothesis
