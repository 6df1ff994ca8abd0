# The developer interface. `make run` serves the platform with demo data; `make test` runs every test.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_WORKERS ?= 2
# Settings that make `check --deploy` see a production configuration without real secrets.
PROD_ENV := CONFIDE_ENV=production SECRET_KEY=check-deploy-$$(head -c 24 /dev/urandom | base64 | tr -d '/+=')-key-of-fifty-chars \
	ALLOWED_HOSTS=confide.example DATABASE_URL=postgres://confide@127.0.0.1:5432/confide \
	REDIS_URL=redis://127.0.0.1:6379/0 EMAIL_URL=smtp://mail.confide.example:587 \
	KEK=check:$$(head -c 32 /dev/urandom | base64) OPERATOR_NAME="Confide Check" \
	OPERATOR_CONTACT=privacy@confide.example

.PHONY: install run test test-only check lint messages compile bench system clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	@touch $@

system:  ## Debian packages: gettext always, chromium for browser tests
	@bash scripts/system-packages.sh $(SYSTEM_PACKAGES)

install: SYSTEM_PACKAGES = gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
install: system $(VENV)/.installed compile

compile:
	@$(PY) manage.py compilemessages --ignore '.venv' -v 0

run: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py seed_demo
	PORT=$(PORT) $(PY) manage.py serve --port $(PORT)

test: SYSTEM_PACKAGES = gettext libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core chromium
test: system $(VENV)/.installed compile check test-only

# A full run starts from no promise report, so a stale one can never be mistaken for this run's.
# pytest exit 5 means "no tests collected": a failure here, so CI cannot pass vacuously.
test-only:
	@mkdir -p reports
	@if [ -z "$(PYTEST_ARGS)" ]; then rm -f reports/promises.json; fi
	@start=$$(date +%s); set +e; \
	CONFIDE_PROMISE_REPORT=1 $(VENV)/bin/pytest -n $(PYTEST_WORKERS) --create-db -q $(PYTEST_ARGS); rc=$$?; set -e; \
	echo "pytest finished in $$(( $$(date +%s) - start )) s with exit status $$rc"; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing so CI cannot pass vacuously"; exit 1; fi; \
	$(PY) manage.py promises | tail -n 1; exit $$rc

check: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy confide
	$(PY) manage.py makemigrations --check --dry-run -v 1
	$(PY) manage.py compilemessages --ignore '.venv' -v 0
	@$(PROD_ENV) $(PY) manage.py check --deploy --fail-level WARNING

messages: $(VENV)/.installed  ## extract every app's strings, then fill the English catalogs
	$(PY) scripts/po_tool.py extract
	$(PY) scripts/po_tool.py fill-english

bench: $(VENV)/.installed
	@bash scripts/system-packages.sh wrk
	$(PY) -m benchmarks $(BENCH)

clean:
	rm -rf var/test*.sqlite3* reports .pytest_cache .mypy_cache .ruff_cache
