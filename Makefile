# Every target is one line; `make run` and `make test` work on a fresh clone with nothing installed by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint fmt bench notebooks browser clean

run: $(VENV)/.installed  ## set up .venv and build the graph of the bundled seeds into out/
	$(BIN)/conflictkg build seeds -o out

test: $(VENV)/.installed-test browser  ## set up .venv with the test extras and run the whole suite
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test  ## ruff lint and format check
	$(BIN)/ruff check graph tests benchmarks scripts && $(BIN)/ruff format --check graph tests benchmarks scripts

fmt: $(VENV)/.installed-test  ## format the code and re-serialise the ontology Turtle files
	$(BIN)/ruff format graph tests benchmarks scripts && $(BIN)/python scripts/fmt_ttl.py ontology

bench: $(VENV)/.installed-test  ## run the benchmarks (they print figures; they are not tests)
	$(BIN)/python benchmarks/run_all.py

notebooks: $(VENV)/.installed-notebooks  ## open JupyterLab in the project's environment
	$(BIN)/jupyter lab notebooks/ $$([ "$$(id -u)" = 0 ] && echo --allow-root)

browser:  ## install Debian's Chromium and ChromeDriver for the browser tests, if missing
	bash scripts/install_browser.sh

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e . && touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e ".[test]" && touch $@ $(VENV)/.installed

$(VENV)/.installed-notebooks: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install -q -e ".[test,notebooks]" && touch $@ $(VENV)/.installed $(VENV)/.installed-test

clean:  ## remove the environment and outputs
	rm -rf $(VENV) out .pytest_cache .ruff_cache
