"""Plain-Python loop functions: the workload pytest-rustify exists for.

Each function is self-contained, fully annotated and written as an ordinary numeric
Python programmer writes loops, so the plugin can find it hot in the tests under
``examples/tests`` and translate it to Rust.

Modules, by theme:

- ``vectors``: euclidean, dot_product, l2_normalize
- ``scaling``: normalize_pixels, standard_scale, min_max_scale
- ``series``: running_mean, moving_average, diff, cumsum, convolve1d
- ``text``: count_pairs, bpe_encode
- ``matrix``: matmul
- ``simulation``: mandelbrot, fma_loop
"""
