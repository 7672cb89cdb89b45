# The two quick-start commands of the README, `make demo` and `make test`, and `make bench`.
# Each creates a local virtual environment (.venv) with Python >= 3.10 and installs
# the plugin into it; nothing is installed anywhere else.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
REPORTS ?= reports

.PHONY: demo test bench lint clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "pytest-rustify needs Python >= 3.10; set PYTHON=python3.x")'
	@command -v cargo >/dev/null || { echo "cargo not found: install Rust from https://rustup.rs" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

# Run the plugin on the bundled examples: profile, translate, build, check parity,
# measure; the summary table is printed and the reports land in reports/.
demo: $(VENV)/.installed
	$(PY) -m pytest examples --rustify \
		--rustify-json $(REPORTS)/rustify.json --rustify-markdown $(REPORTS)/rustify.md

# The test suite (real maturin builds included; they share one cargo target dir).
test: $(VENV)/.installed
	$(PY) -m pytest tests

# The benchmark of benches/: CPython, the generated Rust, a hand-written PyO3 reference and
# (when installed in .venv) Numba on the examples, with lists and NumPy arrays. Prints the
# table and writes benches/results/latest.json and latest.md; BENCH_ARGS passes options.
bench: $(VENV)/.installed
	$(PY) benches/run.py $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(PY) -m ruff check pytest_rustify tests benches
	$(PY) -m mypy

clean:
	rm -rf $(VENV) $(REPORTS) .rustify .pytest_cache benches/.cache
