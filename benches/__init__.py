"""The benchmark of issue #5: CPython, the generated Rust, a hand-written PyO3 reference
and Numba on the example functions, with plain lists and with NumPy arrays.

Run it with ``python benches/run.py`` (or ``make bench``); see ``run.py`` for options.
"""
