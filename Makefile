# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run test install lint format lock messages check clean bench

# Installs exactly what requirements.lock pins; re-runs only when the lock changes.
$(BIN)/.installed: requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

install: $(BIN)/.installed

# The web server, one Celery worker and one beat together; Ctrl-C stops all three.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py install_schedule
	$(BIN)/python manage.py load_demo
	@echo "Portal: http://127.0.0.1:$(PORT)  (demo accounts: see README)"
	PATH="$(CURDIR)/$(BIN):$$PATH" PORT=$(PORT) $(BIN)/honcho -f Procfile.dev start

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL= $(BIN)/python manage.py makemigrations --check --dry-run
	DATABASE_URL= $(BIN)/python manage.py check
	DATABASE_URL= $(BIN)/mypy

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the lock file after changing pyproject.toml's dependencies.
lock: install
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 -o requirements.lock

# Refresh the Chinese catalogue after changing strings, then translate the new entries.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

# Benchmarks at county and city scale (issue 8): needs DATABASE_URL pointing at PostgreSQL; builds
# and drops its own databases on that server. Prints a table, writes bench/results.json.
bench: install
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) staticfiles var db.sqlite3
