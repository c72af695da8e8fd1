# Onderdak: the two commands a user needs are `make report` and `make test`.
# Each creates .venv and installs pinned versions (requirements.lock) on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CASE   ?= data/cases/demo/case.yaml
PAR    ?= auto

.PHONY: report test lab lint bench clean-reports lock golden

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	$(BIN)/python -m ipykernel install --prefix $(VENV) --name onderdak --display-name "Onderdak (.venv)" >/dev/null
	@touch $(STAMP)

report: $(STAMP)  ## the demo advice report, all exports, in reports/demo/
	$(BIN)/onderdak report $(CASE)

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest -n $(PAR) -q

lab: $(STAMP)  ## JupyterLab on the notebooks
	$(BIN)/jupyter lab notebooks/

golden: $(STAMP)  ## rewrite tests/golden/ from the demo (only when a change of figures is intended)
	$(BIN)/python tests/golden_run.py --refresh

lint: $(STAMP)
	$(BIN)/ruff check model tests benchmarks notebooks

bench: $(STAMP)  ## performance benchmarks (print their figures)
	for b in benchmarks/bench_*.py; do $(BIN)/python $$b || exit 1; done

lock:  ## refresh requirements.lock from the current .venv
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^onderdak' > requirements.lock

clean-reports:
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
