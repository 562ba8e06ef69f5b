# errspec. On a fresh machine: `make generate`, then `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NODE_INSTALLED := node_modules/.installed
# The revision `make breaking` compares with: the merge base with main, named by full ref names
# (a tag called origin/main must not stand in for the branch). Empty when there is none (a
# shallow clone, no main branch): then `breaking` fails instead of comparing HEAD with itself.
BASE ?= $(shell git merge-base HEAD refs/remotes/origin/main 2>/dev/null || git merge-base HEAD refs/heads/main 2>/dev/null)

.PHONY: ci-files install generate check test test-quick test-random lint lint-generated bench breaking breaking-base clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	# Wheels of the runtime dependencies (and pydantic), so tests install packages offline.
	$(BIN)/python -m pip wheel --quiet -w $(VENV)/wheelhouse . "$$($(BIN)/python -m pip freeze | grep -i '^pydantic==')"
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

# Everything but the tests that start an external toolchain (marked slow): the quick loop.
test-quick: $(INSTALLED)
	$(BIN)/python -m pytest -m "not slow"

# The whole suite in a random order (pytest-randomly; addopts turns it off). SEED=N repeats one.
SEED ?= $(shell date +%s)
test-random: $(INSTALLED) $(NODE_INSTALLED)
	@echo "make test-random: SEED=$(SEED)"
	$(BIN)/python -m pytest -o addopts="-q --strict-markers" -p randomly --randomly-seed=$(SEED)

lint: lint-generated $(INSTALLED) $(NODE_INSTALLED)
	$(BIN)/errspec check
	$(BIN)/python -m mypy --strict generator generated/python
	$(BIN)/python -m black --check generator tests bench

# The generated Python SDK is black-stable with black's defaults (88 columns), not errspec's
# settings: its files are named one by one, which the extend-exclude of pyproject.toml skips.
lint-generated: $(INSTALLED)
	$(BIN)/python -m black --config /dev/null --check --line-length 88 --target-version py311 $(sort $(wildcard generated/python/*.py))

bench: $(INSTALLED)
	$(BIN)/python -m bench

breaking-base:
	@test -n "$(BASE)" || { echo "make breaking: no merge base with origin/main or main (a shallow clone, or no main branch), so there is nothing to compare with; fetch the full history (actions/checkout: fetch-depth: 0) or pass BASE=<revision>" >&2; exit 2; }
	@echo "make breaking: comparing with the merge base $(BASE)"

# FORMAT: text, json, github (annotations) or markdown (release notes).
FORMAT ?= text

breaking: breaking-base $(INSTALLED)
	$(BIN)/errspec diff --against $(BASE) --format $(FORMAT)

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .hypothesis build *.egg-info

# docs/github-workflow.yml and action.yml, made from templates/init/ (tests/checkout checks them).
ci-files: $(INSTALLED)
	$(BIN)/python -c 'from generator.commands.init import ci_files; f = ci_files(""); open("docs/github-workflow.yml", "w").write(f["workflow"]); open("action.yml", "w").write(f["action"])'
