# Kexie — the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PG_URL ?= postgres://postgres@127.0.0.1:5432/kexie
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres bench lint install assets messages demo clean

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Front-end packages from npm, copied into static/vendor/ (never a CDN).
static/vendor/.built: node_modules/.installed
	mkdir -p static/vendor/bootstrap static/vendor/bootstrap-icons/fonts static/vendor/echarts
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map static/vendor/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map static/vendor/bootstrap/
	cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css static/vendor/bootstrap-icons/
	cp node_modules/bootstrap-icons/font/fonts/* static/vendor/bootstrap-icons/fonts/
	cp node_modules/echarts/dist/echarts.min.js static/vendor/echarts/
	@touch $@

assets: static/vendor/.built

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

run: install assets messages
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py seed_demo --if-empty --scale S --seed 2026
	@$(PY) manage.py demo_logins
	@trap 'kill 0' EXIT; $(PY) manage.py db_worker --queue-name '*' >var/worker.log 2>&1 & \
	  $(PY) manage.py runserver 127.0.0.1:8000

test: install assets messages
	@$(MAKE) --no-print-directory test-sqlite
	@if scripts/pg-available; then $(MAKE) --no-print-directory test-postgres; \
	  else echo "PostgreSQL not reachable and DATABASE_URL unset: PostgreSQL run skipped."; fi

test-sqlite:
	@echo "== test suite on SQLite =="
	env -u DATABASE_URL KEXIE_TESTING=1 $(PY) -m pytest -n 2 $(PYTEST_ARGS)

test-postgres:
	@echo "== test suite on PostgreSQL =="
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} KEXIE_TESTING=1 $(PY) -m pytest -n 2 $(PYTEST_ARGS)

bench: install
	$(PY) -m bench

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean:
	rm -rf $(VENV) node_modules static/vendor staticfiles var
