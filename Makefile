# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1:8000
# The address in the links that make run prints and that e-mails carry: follows HOST unless
# RVCU_SITE_URL is given (make run HOST=0.0.0.0:8080 RVCU_SITE_URL=http://my-laptop:8080).
RVCU_SITE_URL ?= http://$(HOST)

.PHONY: run test install setup translations messages lint fmt check clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalls only when pyproject.toml changed since the last install.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

translations: install
	$(MANAGE) compile_translations

# seed_local_accounts and seed_demo (devtools/) do nothing when DEBUG is off.
setup run: export RVCU_SITE_URL := $(RVCU_SITE_URL)
setup: install translations
	$(MANAGE) migrate --noinput
	$(MANAGE) load_network
	$(MANAGE) seed_local_accounts
	$(MANAGE) seed_demo
	$(MANAGE) collectstatic --noinput --verbosity 0

run: setup
	@echo "Serving the portal at $(RVCU_SITE_URL)/"
	@echo "Without CELERY_BROKER_URL or REDIS_URL, e-mails are sent by this process after each commit."
	@echo "For a Celery worker instead:"
	@echo "  DJANGO_SETTINGS_MODULE=rvcu.settings.local CELERY_BROKER_URL=redis://127.0.0.1:6379/2 $(BIN)/celery -A rvcu worker -B"
	@echo "  (and start make run with the same CELERY_BROKER_URL)"
	$(MANAGE) runserver $(HOST)

# COVERAGE=1 (as CI runs it) also measures the code the tests run and fails below the gate in
# pyproject.toml ([tool.coverage]); without it the tests run at full speed.
test: install translations
	$(BIN)/python -m pytest $(if $(COVERAGE),--cov --cov-report=term) $(PYTEST_ARGS)

messages: install
	$(MANAGE) makemessages --locale fr --no-location --no-obsolete --ignore '.venv/*' --ignore 'staticfiles/*'
	$(MANAGE) compile_translations

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

fmt: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The benchmark at network scale, on PostgreSQL with gunicorn, Redis and wrk (docs/performance.md):
# about 7 minutes, 1 to 2 more when it builds the data. BENCH_QUICK=1 for a short run.
bench: install translations
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
