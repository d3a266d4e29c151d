# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test install install-test system-deps system-deps-test lint bench clean

run: install system-deps
	$(BIN)/kennisbank ingest corpus/ || [ $$? -eq 1 ]  # 1: some files failed, the rest is indexed
	$(BIN)/kennisbank serve

test: install-test system-deps-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/pytest

install: $(VENV)/.installed-run
install-test: $(VENV)/.installed-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

# Tesseract (Dutch) reads scanned PDF pages; without it those pages are reported, not indexed.
system-deps:
	@scripts/system-deps.sh

# The tests also need Debian's headless Chromium for the chat page (`make run` does not).
system-deps-test:
	@scripts/system-deps.sh test

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) data
