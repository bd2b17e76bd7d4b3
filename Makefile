# ansinh: `make run` sets everything up and serves on 127.0.0.1:8000; `make test` runs the whole suite.
# Needs only python3 (3.11) and make; everything else comes from the package registries.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := ansinh.settings

.PHONY: run test lint format bench setup db demo lock messages vendor clean

run: db demo
	$(BIN)/ansinh run

setup: $(STAMP)

$(VENV)/bin/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' || { \
	  echo "ansinh needs Python 3.11 (found: $$($(PYTHON) --version 2>&1)). Set PYTHON=python3.11."; exit 1; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
	  echo "python3 cannot make a virtual environment here: install the package python3.11-venv (Debian/Ubuntu: sudo apt-get install python3.11-venv), then run make again."; exit 1; }

# Reinstall only when the lock or the project metadata changes, so a second `make run` is fast.
$(STAMP): $(VENV)/bin/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

db: setup
	$(BIN)/ansinh migrate --noinput
	$(BIN)/ansinh load_geography

demo: db
	$(BIN)/ansinh demo

test: setup
	$(BIN)/pytest $(PYTEST_ARGS)

lint: setup
	$(BIN)/ruff check ansinh tests benchmarks
	$(BIN)/ruff format --check ansinh tests benchmarks
	$(BIN)/mypy ansinh

format: setup
	$(BIN)/ruff check --fix ansinh tests benchmarks
	$(BIN)/ruff format ansinh tests benchmarks

bench: setup
	$(BIN)/python -m benchmarks

# Developers: refresh exact pins after editing pyproject.toml.
lock: setup
	$(BIN)/pip install --quiet uv
	$(BIN)/uv pip compile --python-version 3.11 pyproject.toml --extra dev --generate-hashes -o requirements.lock

# Developers: extract strings and compile the catalogues (needs GNU gettext); the .mo files are committed.
messages: setup
	cd ansinh && ../$(BIN)/ansinh makemessages --all --no-obsolete --ignore 'static/*'
	cd ansinh && ../$(BIN)/ansinh compilemessages

# Developers: refresh the vendored front-end assets from the npm registry (versions pinned in package.json).
vendor:
	npm ci --no-audit --no-fund
	cp node_modules/htmx.org/dist/htmx.min.js ansinh/web/static/vendor/htmx/htmx.min.js
	cp node_modules/axe-core/axe.min.js tests/browser/vendor/axe.min.js
	cp node_modules/jsqr/dist/jsQR.js node_modules/jsqr/LICENSE ansinh/web/static/vendor/jsqr/

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
