# Everything a fresh clone needs, with only Python 3.10+ and make:
#   make demo    the main job (creates .venv, installs the project, runs demo.py)
#   make test    ruff and mypy (make lint), then the whole test suite (the same answer every run)
#   make fuzz    the property tests with random examples, many more, from a printed seed
#   make bench   the side-by-side benchmark (installs micrograd and PyTorch's CPU build)
#   make lab        installs Jupyter and opens the course notebooks
#   make notebooks  runs every notebook into out/notebooks/ (.ipynb and standalone .html)
#   make student    the student notebooks (answers removed, stubs and checks kept) in out/student/
#   make grade SUBMISSIONS=folder   grades folder/<student>/<notebook>.ipynb into out/grades/
#   make slides     reveal.js decks of the notebooks in out/slides/ (open offline)
#   make figures    the lecture figures, 16:9, SVG, PNG and PDF, in out/figures/
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip --disable-pip-version-check --quiet

.PHONY: demo test lint fuzz bench lab notebooks student grade slides figures venv clean

SUBMISSIONS ?= submissions

demo: $(VENV)/.demo
	$(PY) demo.py

test: lint
	$(PY) -m pytest $(PYTEST_ARGS)

# Random examples from a seed, printed first: `make fuzz SEED=1234` replays a run.
fuzz: $(VENV)/.test
	@seed=$${SEED:-$$($(PY) -c 'import random; print(random.randrange(2 ** 32))')}; \
	echo "make fuzz: hypothesis seed $$seed (replay it with: make fuzz SEED=$$seed)"; \
	HYPOTHESIS_PROFILE=fuzz $(PY) -m pytest -q -p no:cacheprovider --hypothesis-seed=$$seed \
		tests/autograd tests/nn $(PYTEST_ARGS)

lint: $(VENV)/.test
	$(PY) -m ruff check .
	$(PY) -m mypy

bench: $(VENV)/.bench
	$(PY) -m bench $(BENCH_ARGS)

lab: $(VENV)/.notebooks
	$(VENV)/bin/jupyter lab notebooks/

notebooks: $(VENV)/.notebooks
	$(PY) notebooks/execute.py --out out/notebooks

student: $(VENV)/.teaching
	$(PY) notebooks/labs.py student --out out/student

grade: $(VENV)/.teaching
	$(PY) notebooks/labs.py grade $(SUBMISSIONS) --out out/grades

slides: $(VENV)/.teaching
	$(PY) notebooks/slides.py --out out/slides

figures: $(VENV)/.teaching
	$(PY) -m nn.figures --out out/figures

venv: $(VENV)/.base

$(VENV)/.base:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 10), "Python 3.10 or newer is needed, this is " + sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip setuptools
	touch $@

# One stamp per set of extras; each is redone when pyproject.toml changes.
$(VENV)/.demo: $(VENV)/.base pyproject.toml
	$(PIP) install -e ".[plots]"
	touch $@

$(VENV)/.test: $(VENV)/.base pyproject.toml
	$(PIP) install -e ".[test]"
	touch $@

$(VENV)/.notebooks: $(VENV)/.base pyproject.toml
	$(PIP) install -e ".[notebooks]"
	touch $@

$(VENV)/.teaching: $(VENV)/.base pyproject.toml
	$(PIP) install -e ".[teaching]"
	touch $@

$(VENV)/.bench: $(VENV)/.base pyproject.toml
	$(PIP) install -e ".[bench]"
	touch $@

clean:
	rm -rf $(VENV) build dist *.egg-info out .pytest_cache .hypothesis
