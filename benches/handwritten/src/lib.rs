//! Hand-written PyO3 versions of the functions in `examples/rustify_examples/`: the
//! yardstick the benchmark holds the generated code against ("within 10% of hand-written
//! Rust at the same boundary").
//!
//! Each function ports its Python original loop for loop, in the same evaluation order,
//! so it returns the same floats bit for bit (`x ** 2` is libm's `pow`, as in CPython).
//! What a Rust engineer would do differently from a naive port is all at the boundary:
//!
//! - a list is read in place through its item pointers, with an exact-float (or
//!   exact-int, exact-str) check; any other element raises TypeError;
//! - a NumPy float64/int64 array is read through a rust-numpy readonly view, without a
//!   copy when it is contiguous;
//! - results are built directly as Python objects: a list of `n` slots filled with new
//!   floats or ints. Where CPython returns NumPy scalars (the function ran on arrays),
//!   these return Python floats with the same bits, which parity accepts.
//!
//! Inputs it does not take (ints where floats are expected, ints beyond 64 bits) raise
//! TypeError or OverflowError where Python would compute; the benchmark never passes them.
#![allow(clippy::needless_range_loop)]

#[macro_use]
mod boundary;

use std::hash::BuildHasherDefault;

use indexmap::IndexMap;
use pyo3::exceptions::{PyIndexError, PyOverflowError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};

use boundary::*;

// ---------------------------------------------------------------------------------------
// vectors
// ---------------------------------------------------------------------------------------

fn euclidean_of<A: Floats + ?Sized, B: Floats + ?Sized>(a: &A, b: &B) -> f64 {
    let mut total = 0.0;
    for i in 0..a.len() {
        let d = a.at(i) - b.at(i);
        total += d * d;
    }
    total.sqrt()
}

#[pyfunction]
fn euclidean(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<f64> {
    let (a, b) = (floats_arg(a, "a")?, floats_arg(b, "b")?);
    if a.len() != b.len() {
        return Err(PyValueError::new_err("vectors must have the same length"));
    }
    with_floats!(a, "a", |x| with_floats!(b, "b", |y| Ok(euclidean_of(x, y))))
}

fn dot_of<A: Floats + ?Sized, B: Floats + ?Sized>(a: &A, b: &B) -> f64 {
    let mut total = 0.0;
    for i in 0..a.len() {
        total += a.at(i) * b.at(i);
    }
    total
}

#[pyfunction]
fn dot_product(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<f64> {
    let (a, b) = (floats_arg(a, "a")?, floats_arg(b, "b")?);
    if a.len() != b.len() {
        return Err(PyValueError::new_err("vectors must have the same length"));
    }
    with_floats!(a, "a", |x| with_floats!(b, "b", |y| Ok(dot_of(x, y))))
}

#[pyfunction]
fn l2_normalize(py: Python<'_>, xs: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let xs = floats_arg(xs, "xs")?;
    let mut out = NewList::new(py, xs.len())?;
    with_floats!(xs, "xs", |v| {
        let mut squares = 0.0;
        for i in 0..v.len() {
            squares += py_square(v.at(i))?;
        }
        let norm = squares.sqrt();
        if norm == 0.0 {
            return Err(PyValueError::new_err("cannot normalize a zero vector"));
        }
        for i in 0..v.len() {
            out.push_float(py, v.at(i) / norm)?;
        }
    });
    Ok(out.finish(py))
}

// ---------------------------------------------------------------------------------------
// scaling
// ---------------------------------------------------------------------------------------

#[pyfunction]
fn normalize_pixels(py: Python<'_>, pixels: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let pixels = ints_arg(pixels, "pixels")?;
    match &pixels {
        IntsArg::List(list) => {
            let mut out = NewList::new(py, list.len())?;
            // SAFETY: see `list_items`; only floats are allocated while reading.
            for &item in unsafe { list_items(list) } {
                let p = unsafe { exact_int(py, item, "pixels")? };
                out.push_float(py, p as f64 / 255.0)?;
            }
            Ok(out.finish(py))
        }
        IntsArg::Array(array) => {
            let view = array.as_array();
            let mut out = NewList::new(py, view.len())?;
            for &p in view.iter() {
                out.push_float(py, p as f64 / 255.0)?;
            }
            Ok(out.finish(py))
        }
    }
}

#[pyfunction]
fn standard_scale(py: Python<'_>, xs: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let xs = floats_arg(xs, "xs")?;
    let n = xs.len();
    if n == 0 {
        return Err(PyValueError::new_err(
            "standard_scale needs at least one value",
        ));
    }
    let mut out = NewList::new(py, n)?;
    with_floats!(xs, "xs", |v| {
        let mut total = 0.0;
        for i in 0..n {
            total += v.at(i);
        }
        let mean = total / n as f64;
        let mut squares = 0.0;
        for i in 0..n {
            squares += py_square(v.at(i) - mean)?;
        }
        let std = (squares / n as f64).sqrt();
        for i in 0..n {
            let scaled = if std == 0.0 {
                0.0
            } else {
                (v.at(i) - mean) / std
            };
            out.push_float(py, scaled)?;
        }
    });
    Ok(out.finish(py))
}

#[pyfunction]
fn min_max_scale(py: Python<'_>, xs: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let xs = floats_arg(xs, "xs")?;
    let n = xs.len();
    if n == 0 {
        return Err(PyValueError::new_err(
            "min_max_scale needs at least one value",
        ));
    }
    let mut out = NewList::new(py, n)?;
    with_floats!(xs, "xs", |v| {
        let (mut lo, mut hi) = (v.at(0), v.at(0));
        for i in 0..n {
            let x = v.at(i);
            if x < lo {
                lo = x;
            } else if x > hi {
                hi = x;
            }
        }
        let span = hi - lo;
        for i in 0..n {
            let scaled = if span == 0.0 {
                0.0
            } else {
                (v.at(i) - lo) / span
            };
            out.push_float(py, scaled)?;
        }
    });
    Ok(out.finish(py))
}

// ---------------------------------------------------------------------------------------
// series
// ---------------------------------------------------------------------------------------

#[pyfunction]
fn running_mean(py: Python<'_>, xs: &Bound<'_, PyAny>, window: i64) -> PyResult<Py<PyAny>> {
    if window < 1 {
        return Err(PyValueError::new_err("window must be at least 1"));
    }
    let xs = floats_arg(xs, "xs")?;
    let mut out = NewList::new(py, xs.len())?;
    let w = window as usize;
    with_floats!(xs, "xs", |v| {
        let mut total = 0.0;
        for i in 0..v.len() {
            total += v.at(i);
            if i >= w {
                total -= v.at(i - w);
            }
            let count = (i + 1).min(w);
            out.push_float(py, total / count as f64)?;
        }
    });
    Ok(out.finish(py))
}

#[pyfunction]
fn moving_average(py: Python<'_>, xs: &Bound<'_, PyAny>, window: i64) -> PyResult<Py<PyAny>> {
    if window < 1 {
        return Err(PyValueError::new_err("window must be at least 1"));
    }
    let xs = floats_arg(xs, "xs")?;
    let n = xs.len();
    let w = usize::try_from(window).unwrap_or(usize::MAX);
    let count = if w > n { 0 } else { n - w + 1 };
    let mut out = NewList::new(py, count)?;
    with_floats!(xs, "xs", |v| {
        for start in 0..count {
            let mut total = 0.0;
            for j in start..start + w {
                total += v.at(j);
            }
            out.push_float(py, total / window as f64)?;
        }
    });
    Ok(out.finish(py))
}

#[pyfunction]
fn diff(py: Python<'_>, xs: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let xs = floats_arg(xs, "xs")?;
    let count = xs.len().saturating_sub(1);
    let mut out = NewList::new(py, count)?;
    with_floats!(xs, "xs", |v| {
        for i in 0..count {
            out.push_float(py, v.at(i + 1) - v.at(i))?;
        }
    });
    Ok(out.finish(py))
}

#[pyfunction]
fn cumsum(py: Python<'_>, xs: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let xs = floats_arg(xs, "xs")?;
    let mut out = NewList::new(py, xs.len())?;
    with_floats!(xs, "xs", |v| {
        let mut acc = 0.0;
        for i in 0..v.len() {
            acc += v.at(i);
            out.push_float(py, acc)?;
        }
    });
    Ok(out.finish(py))
}

#[pyfunction]
fn convolve1d(
    py: Python<'_>,
    signal: &Bound<'_, PyAny>,
    kernel: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let (signal, kernel) = (floats_arg(signal, "signal")?, floats_arg(kernel, "kernel")?);
    let (n, m) = (signal.len(), kernel.len());
    if m == 0 {
        return Err(PyValueError::new_err("kernel must not be empty"));
    }
    if m > n {
        return Err(PyValueError::new_err(
            "kernel must not be longer than the signal",
        ));
    }
    let mut out = NewList::new(py, n - m + 1)?;
    with_floats!(signal, "signal", |s| with_floats!(kernel, "kernel", |k| {
        for i in 0..n - m + 1 {
            let mut acc = 0.0;
            for j in 0..m {
                acc += s.at(i + j) * k.at(m - 1 - j);
            }
            out.push_float(py, acc)?;
        }
    }));
    Ok(out.finish(py))
}

// ---------------------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------------------

/// Pair of token texts -> (index of its first occurrence, count), in insertion order.
type PairCounts<'a> = IndexMap<(&'a [u8], &'a [u8]), (usize, i64), BuildHasherDefault<FxHasher>>;

#[pyfunction]
fn count_pairs<'py>(py: Python<'py>, tokens: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    let Ok(tokens) = tokens.cast_exact::<PyList>() else {
        return Err(PyTypeError::new_err(format!(
            "`tokens` must be a list of str, not {}",
            tokens.get_type().name()?
        )));
    };
    // Counted on the strings' UTF-8 bytes (CPython keeps an ASCII string's data as its
    // UTF-8, so nothing is copied); each pair remembers where it first occurred, as
    // Python's dict keeps the first key object and its insertion order.
    let firsts: Vec<(Py<PyAny>, Py<PyAny>, i64)> = {
        // SAFETY: see `list_items`; nothing is allocated on the Python heap until the
        // strong references below are taken.
        let items = unsafe { list_items(tokens) };
        let mut texts: Vec<&[u8]> = Vec::with_capacity(items.len());
        for &item in items {
            if unsafe { ffi::PyUnicode_CheckExact(item) } == 0 {
                return Err(wrong_item(item, "tokens", "str"));
            }
            let mut size: ffi::Py_ssize_t = 0;
            let data = unsafe { ffi::PyUnicode_AsUTF8AndSize(item, &mut size) };
            if data.is_null() {
                return Err(PyErr::fetch(py));
            }
            // SAFETY: the UTF-8 buffer lives as long as the string, which the list holds.
            texts.push(unsafe { std::slice::from_raw_parts(data.cast::<u8>(), size as usize) });
        }
        let mut counts = PairCounts::default();
        for i in 0..texts.len().saturating_sub(1) {
            counts.entry((texts[i], texts[i + 1])).or_insert((i, 0)).1 += 1;
        }
        counts
            .values()
            .map(|&(i, count)| unsafe {
                (
                    Bound::from_borrowed_ptr(py, items[i]).unbind(),
                    Bound::from_borrowed_ptr(py, items[i + 1]).unbind(),
                    count,
                )
            })
            .collect()
    };
    let dict = PyDict::new(py);
    for (a, b, count) in firsts {
        dict.set_item(PyTuple::new(py, [a, b])?, count)?;
    }
    Ok(dict)
}

#[pyfunction]
fn bpe_encode(
    py: Python<'_>,
    text: &Bound<'_, PyAny>,
    merges: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let Ok(text) = text.cast_exact::<PyString>() else {
        return Err(PyTypeError::new_err("`text` must be a str"));
    };
    let Ok(merges) = merges.cast_exact::<PyList>() else {
        return Err(PyTypeError::new_err(
            "`merges` must be a list of (int, int) tuples",
        ));
    };
    let mut ids: Vec<i64> = text.to_str()?.chars().map(|ch| ch as i64).collect();
    let mut pairs: Vec<(i64, i64)> = Vec::with_capacity(merges.len());
    // SAFETY: see `list_items`; nothing is allocated while the pairs are read.
    for &item in unsafe { list_items(merges) } {
        if unsafe { ffi::PyTuple_CheckExact(item) } == 0 || unsafe { ffi::Py_SIZE(item) } != 2 {
            return Err(wrong_item(item, "merges", "(int, int) tuples"));
        }
        let (a, b) = unsafe {
            (
                ffi::PyTuple_GET_ITEM(item, 0),
                ffi::PyTuple_GET_ITEM(item, 1),
            )
        };
        pairs.push(unsafe { (exact_int(py, a, "merges")?, exact_int(py, b, "merges")?) });
    }
    let mut out: Vec<i64> = Vec::with_capacity(ids.len());
    for (r, &(a, b)) in pairs.iter().enumerate() {
        let new_id = 256 + r as i64;
        out.clear();
        let n = ids.len();
        let mut i = 0;
        while i < n {
            if i + 1 < n && ids[i] == a && ids[i + 1] == b {
                out.push(new_id);
                i += 2;
            } else {
                out.push(ids[i]);
                i += 1;
            }
        }
        std::mem::swap(&mut ids, &mut out);
    }
    let mut result = NewList::new(py, ids.len())?;
    for &id in &ids {
        result.push_int(py, id)?;
    }
    Ok(result.finish(py))
}

// ---------------------------------------------------------------------------------------
// matrix
// ---------------------------------------------------------------------------------------

/// Row-major data, rows, columns: a copy of a list of lists (rows of `width` values
/// are read, as `a[i][p]` reads them), or a contiguous array's own buffer.
fn matrix_data<'a>(
    arg: &'a MatrixArg<'_>,
    name: &str,
    width: Option<usize>,
    copy: &'a mut Vec<f64>,
) -> PyResult<(&'a [f64], usize, usize)> {
    match arg {
        MatrixArg::Lists(list) => {
            let rows = list_rows(list, name)?;
            let cols = match width {
                Some(w) => w,
                None => rows.first().map_or(0, |r| r.len()),
            };
            copy.reserve(rows.len() * cols);
            for row in &rows {
                if row.len() < cols {
                    return Err(PyIndexError::new_err("list index out of range"));
                }
                for &item in &row[..cols] {
                    copy.push(read_float(item, name)?);
                }
            }
            Ok((&copy[..], rows.len(), cols))
        }
        MatrixArg::Array(array) => {
            let view = array.as_array();
            let (rows, cols) = view.dim();
            match array.as_slice() {
                Ok(slice) => Ok((slice, rows, cols)),
                Err(_) => {
                    copy.extend(view.iter().copied());
                    Ok((&copy[..], rows, cols))
                }
            }
        }
    }
}

fn row_lengths_match(arg: &MatrixArg<'_>, k: usize) -> PyResult<bool> {
    Ok(match arg {
        MatrixArg::Lists(list) => list_rows(list, "a")?.iter().all(|row| row.len() == k),
        MatrixArg::Array(array) => array.as_array().ncols() == k || array.as_array().nrows() == 0,
    })
}

#[pyfunction]
fn matmul(py: Python<'_>, a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
    let (a, b) = (matrix_arg(a, "a")?, matrix_arg(b, "b")?);
    let (mut a_copy, mut b_copy) = (Vec::new(), Vec::new());
    let (b_data, k, m) = matrix_data(&b, "b", None, &mut b_copy)?;
    if k == 0 {
        return Err(PyValueError::new_err("b must have at least one row"));
    }
    if !row_lengths_match(&a, k)? {
        return Err(PyValueError::new_err("inner dimensions do not match"));
    }
    let (a_data, n, _) = matrix_data(&a, "a", Some(k), &mut a_copy)?;
    let mut product = vec![0.0; n * m];
    for i in 0..n {
        for j in 0..m {
            let mut acc = 0.0;
            for p in 0..k {
                acc += a_data[i * k + p] * b_data[p * m + j];
            }
            product[i * m + j] = acc;
        }
    }
    let mut out = NewList::new(py, n)?;
    for i in 0..n {
        let mut row = NewList::new(py, m)?;
        for j in 0..m {
            row.push_float(py, product[i * m + j])?;
        }
        out.push_list(py, row)?;
    }
    Ok(out.finish(py))
}

// ---------------------------------------------------------------------------------------
// simulation
// ---------------------------------------------------------------------------------------

#[pyfunction]
fn mandelbrot(py: Python<'_>, width: i64, height: i64, max_iter: i64) -> PyResult<Py<PyAny>> {
    let cells = width
        .max(0)
        .checked_mul(height.max(0))
        .ok_or_else(|| PyOverflowError::new_err("grid too large"))?;
    let mut out = NewList::new(py, cells as usize)?;
    for py_ in 0..height {
        let y0 = -1.5 + 3.0 * (py_ as f64 + 0.5) / height as f64;
        for px in 0..width {
            let x0 = -2.0 + 3.0 * (px as f64 + 0.5) / width as f64;
            // CPython's complex arithmetic: (a+bi)(c+di) = (ac - bd) + (ad + bc)i, and
            // abs is hypot, which raises OverflowError when it overflows.
            let (mut zr, mut zi) = (0.0_f64, 0.0_f64);
            let mut n = 0_i64;
            loop {
                let size = zr.hypot(zi);
                if size.is_infinite() && zr.is_finite() && zi.is_finite() {
                    return Err(PyOverflowError::new_err("absolute value too large"));
                }
                if !(size <= 2.0 && n < max_iter) {
                    break;
                }
                let re = zr * zr - zi * zi;
                let im = zr * zi + zi * zr;
                zr = re + x0;
                zi = im + y0;
                n += 1;
            }
            out.push_int(py, n)?;
        }
    }
    Ok(out.finish(py))
}

#[pyfunction]
fn fma_loop(
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    z: &Bound<'_, PyAny>,
    n: i64,
) -> PyResult<f64> {
    let (x, y, z) = (
        exact_float(x, "x")?,
        exact_float(y, "y")?,
        exact_float(z, "z")?,
    );
    let mut acc = z;
    for _ in 0..n {
        // Rust never contracts this into a fused multiply-add: the same rounding as Python.
        acc = acc * x + y;
    }
    Ok(acc)
}

#[pymodule]
fn bench_handwritten(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(euclidean, m)?)?;
    m.add_function(wrap_pyfunction!(dot_product, m)?)?;
    m.add_function(wrap_pyfunction!(l2_normalize, m)?)?;
    m.add_function(wrap_pyfunction!(normalize_pixels, m)?)?;
    m.add_function(wrap_pyfunction!(standard_scale, m)?)?;
    m.add_function(wrap_pyfunction!(min_max_scale, m)?)?;
    m.add_function(wrap_pyfunction!(running_mean, m)?)?;
    m.add_function(wrap_pyfunction!(moving_average, m)?)?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add_function(wrap_pyfunction!(cumsum, m)?)?;
    m.add_function(wrap_pyfunction!(convolve1d, m)?)?;
    m.add_function(wrap_pyfunction!(count_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(bpe_encode, m)?)?;
    m.add_function(wrap_pyfunction!(matmul, m)?)?;
    m.add_function(wrap_pyfunction!(mandelbrot, m)?)?;
    m.add_function(wrap_pyfunction!(fma_loop, m)?)?;
    Ok(())
}
