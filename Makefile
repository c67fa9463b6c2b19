# ckanext-partnercity: the two commands are `make demo` and `make test`.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: help install services demo stop test test-unit test-integration test-browser screenshots lint bench

help:
	@echo "make demo     install everything, start services and the portal at http://127.0.0.1:5000"
	@echo "make test     run the whole suite (unit, integration on the real stack, browser)"
	@echo "make stop     stop the portal, its worker and the services"
	@echo "make lint     ruff"
	@echo "make screenshots  rerun the browser tests and refresh docs/screenshots/"
	@echo "make bench    benchmarks (print numbers; the harvest bench takes about an hour)"

install:
	@bash scripts/install.sh

services: install
	@bash scripts/services.sh start

demo:
	@bash scripts/demo.sh start

stop:
	@bash scripts/demo.sh stop
	@bash scripts/services.sh stop

test: lint test-unit test-integration test-browser

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Core tests: no CKAN app, no services (CKAN's pytest plugin is switched off).
test-unit: install
	$(PY) -m pytest -p no:ckan -p no:ckan_fixtures tests/unit $(PYTEST_ARGS)

# The real stack: PostgreSQL, Redis and Solr 9, through CKAN's pytest plugin.
test-integration: services
	$(PY) -m pytest --ckan-ini=test.ini tests/integration $(PYTEST_ARGS)

# Debian's Chromium driven by Playwright against a real portal that the fixtures start
# (ckan run + jobs worker on free ports, store ckan_browser unless CKAN_SQLALCHEMY_URL/
# CKAN_SOLR_URL/CKAN_REDIS_URL say otherwise); their screenshots go to test-results/screenshots/
# (ignored by git), so `make test` leaves the tree as it found it.
# No CKAN pytest plugin: nothing runs in-process. pytest's exit 5 (no tests) fails too.
test-browser: services
	$(PY) -m pytest -p no:ckan -p no:ckan_fixtures tests/browser $(PYTEST_ARGS)

# The documentation's pictures: the same browser tests, writing to docs/screenshots/ (a file
# is rewritten only when its picture changed). Commit the result yourself.
screenshots: services
	PARTNERCITY_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots \
	  $(PY) -m pytest -p no:ckan -p no:ckan_fixtures tests/browser $(PYTEST_ARGS)

# stack_bench needs the demo portal (make demo) and prints latency next to CKAN's status_show.
# harvest_bench needs only the services: its own database ckan_bench, Solr core ckan_test under
# its own site_id, a fixture portal on 127.0.0.1; it installs ckanext-harvest (bench only) and
# takes about an hour for --sizes 1000,10000 (HARVEST_BENCH_ARGS="--sizes 1000" for minutes).
HARVEST_BENCH_ARGS ?=
# page_bench harvests 10,000 references into the ckan_browser store (about 10 minutes), then
# measures the partner and theme pages under 20 concurrent clients (PAGE_BENCH_ARGS="--reuse").
PAGE_BENCH_ARGS ?=
bench: demo
	$(PY) bench/stack_bench.py
	$(PY) bench/harvest_bench.py $(HARVEST_BENCH_ARGS)
	$(PY) bench/page_bench.py $(PAGE_BENCH_ARGS)
