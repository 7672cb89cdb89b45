"""Iterated maps: the Mandelbrot set and a multiply-add recurrence."""


def mandelbrot(width: int, height: int, max_iter: int) -> list[int]:
    """Escape time of every cell of a width x height grid over [-2, 1] x [-1.5, 1.5].

    Each cell is sampled at its centre; rows run top to bottom from imaginary part
    -1.5, and the result is row-major. A cell that never escapes gets ``max_iter``.
    """
    out = []
    for py in range(height):
        y0 = -1.5 + 3.0 * (py + 0.5) / height
        for px in range(width):
            x0 = -2.0 + 3.0 * (px + 0.5) / width
            c = complex(x0, y0)
            z = 0j
            n = 0
            while abs(z) <= 2.0 and n < max_iter:
                z = z * z + c
                n += 1
            out.append(n)
    return out


def fma_loop(x: float, y: float, z: float, n: int) -> float:
    """Apply ``acc = acc * x + y`` n times, starting from ``acc = z``."""
    acc = z
    for _ in range(n):
        acc = acc * x + y
    return acc
