# The two commands in the README: `make demo` (set up and serve with demo data) and `make test`.
# Everything else here is what those two need, each step skipped when already up to date.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)

.PHONY: demo test preflight preflight-demo install assets migrate seed serve lint typecheck pytest benchmark \
	benchmark-dashboards clean

demo: preflight-demo install assets migrate seed serve

# The system packages each command needs (the one list is scripts/preflight.sh): installed when we are root
# with apt-get; otherwise one line says what to install and the command stops at once.
preflight:
	@PYTHON='$(PYTHON)' scripts/preflight.sh test

preflight-demo:
	@PYTHON='$(PYTHON)' scripts/preflight.sh demo

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

assets: static/css/application.css

static/css/application.css: node_modules/.installed assets/build.mjs $(wildcard assets/scss/*.scss assets/js/*.mjs)
	npm run --silent build

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

serve:
	@echo "Serving at http://127.0.0.1:8000 (Ctrl+C to stop)"
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(VENV)/.installed
	$(VENV)/bin/mypy

# One worker per core (at most 4), each with its own test database and Redis database
# (config/settings/test.py), a test module kept on one worker (its module-scoped browser and servers).
PYTEST_WORKERS ?= auto
pytest: install assets
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 --dist loadfile

test: preflight install assets lint typecheck pytest

# The rules engine alone, then each role's home page and the daily sweep at 50 and 5,000 children
# (PostgreSQL: DASHBOARDS_DATABASE_URL, with {size} in the name; see benchmarks/dashboards.py).
DASHBOARDS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/hd_{size}

benchmark: $(VENV)/.installed
	$(PY) benchmarks/timescales.py
	$(PY) benchmarks/dashboards.py --database-url '$(DASHBOARDS_DATABASE_URL)'

benchmark-dashboards: $(VENV)/.installed
	$(PY) benchmarks/dashboards.py --database-url '$(DASHBOARDS_DATABASE_URL)'

clean:
	rm -rf $(VENV) node_modules static/css static/js static/assets staticfiles db.sqlite3
