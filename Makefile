# The two commands of the quick start: `make run` and `make test`.
# Both create the environment themselves (a .venv managed by uv from uv.lock).

PORT ?= 5000
VENV := .venv
TOOLS := .tools
UV := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
FLASK := $(VENV)/bin/flask --app portal
PYTEST := $(VENV)/bin/pytest
export UV_PYTHON_DOWNLOADS := never

.PHONY: run test install lint format browsers sso-servers clean

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet "uv>=0.9,<0.14"

install: $(UV)
	$(UV) sync --frozen --inexact --quiet

## make run: install, migrate, seed the demo council, serve on http://127.0.0.1:$(PORT)
run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo
	@echo "Serving the portal on http://127.0.0.1:$(PORT) (demo accounts: see README.md)"
	SESSION_COOKIE_SECURE=false SCHEDULER_IN_PROCESS=true $(FLASK) run --host 127.0.0.1 --port $(PORT)

## make sso-servers: the OpenID provider the sign-in tests start (oidc-provider under Node,
## from tests/sso/oidc/package-lock.json); needs node and npm (apt-get install nodejs npm)
sso-servers:
	@if [ ! -d tests/sso/oidc/node_modules/oidc-provider ] && command -v npm >/dev/null; then \
		npm ci --prefix tests/sso/oidc --no-audit --no-fund --quiet; fi

## make test: install, lint, then the whole suite on SQLite and on PostgreSQL (one pytest
## worker per core, pytest-xdist; each worker has its own database)
test: install sso-servers
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTEST) -n auto --database=sqlite
	$(PYTEST) -n auto --database=postgresql

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## make browsers: Debian's Chromium for the browser tests (needs root)
browsers:
	apt-get update -qq && apt-get install -y -qq chromium

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache
