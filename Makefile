# Onderdak: the two commands a user needs are `make report` and `make test`.
# Each creates .venv and installs pinned versions (requirements.lock) on first use.
# Reports run on the .venv's own Python (no Jupyter kernel to install). `make wheel`: dist/*.whl.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CASE   ?= data/cases/demo/case.yaml
PAR    ?= auto

.PHONY: report test lab lint bench clean-reports lock golden wheel

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip "setuptools>=77"
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	@touch $(STAMP)

report: $(STAMP)  ## the demo advice report, all exports, in reports/demo/
	$(BIN)/onderdak report $(CASE)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -n $(PAR) -q --durations=8

lab: $(STAMP)  ## JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

golden: $(STAMP)  ## rewrite tests/golden/ from the demo (only when a change of figures is intended)
	$(BIN)/python tests/golden_run.py --refresh

lint: $(STAMP)
	$(BIN)/ruff check model tests benchmarks notebooks
	$(BIN)/lint-imports

bench: $(STAMP)  ## performance benchmarks (print their figures)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

wheel: $(STAMP)  ## the wheel in dist/ (with the notebooks, reference data and demo case)
	$(BIN)/python -m pip wheel --quiet --no-deps --no-build-isolation --wheel-dir dist .

lock:  ## refresh requirements.lock from the current .venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^onderdak' > requirements.lock

clean-reports:
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
