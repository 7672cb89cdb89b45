"""Time-series transforms over lists of floats."""


def running_mean(xs: list[float], window: int) -> list[float]:
    """Mean of the trailing ``window`` values at every position.

    The first positions average what is there so far, so the output is as long as the
    input. The window sum is kept incrementally: add the new value, subtract the one
    leaving.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    out = []
    total = 0.0
    for i in range(len(xs)):
        total += xs[i]
        if i >= window:
            total -= xs[i - window]
        count = min(i + 1, window)
        out.append(total / count)
    return out


def moving_average(xs: list[float], window: int) -> list[float]:
    """Mean of every full window of ``window`` consecutive values (re-summed each time).

    A window longer than the series gives an empty list.
    """
    if window < 1:
        raise ValueError("window must be at least 1")
    out = []
    for start in range(len(xs) - window + 1):
        total = 0.0
        for j in range(start, start + window):
            total += xs[j]
        out.append(total / window)
    return out


def diff(xs: list[float]) -> list[float]:
    """Differences of consecutive values: one shorter than the input."""
    return [xs[i + 1] - xs[i] for i in range(len(xs) - 1)]


def cumsum(xs: list[float]) -> list[float]:
    """Running totals, left to right."""
    out = []
    acc = 0.0
    for x in xs:
        acc += x
        out.append(acc)
    return out


def convolve1d(signal: list[float], kernel: list[float]) -> list[float]:
    """Discrete convolution, 'valid' mode: as ``numpy.convolve(signal, kernel, 'valid')``.

    The kernel is flipped, and only positions where it fits entirely inside the signal
    are kept, so the output has ``len(signal) - len(kernel) + 1`` values.
    """
    n = len(signal)
    m = len(kernel)
    if m == 0:
        raise ValueError("kernel must not be empty")
    if m > n:
        raise ValueError("kernel must not be longer than the signal")
    out = []
    for i in range(n - m + 1):
        acc = 0.0
        for j in range(m):
            acc += signal[i + j] * kernel[m - 1 - j]
        out.append(acc)
    return out
