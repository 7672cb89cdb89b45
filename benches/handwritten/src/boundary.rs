//! The boundary between Python objects and Rust values, as a Rust engineer writes it by
//! hand: lists read in place through their item pointers (exact floats, ints, strs),
//! NumPy arrays through rust-numpy readonly views, results built slot by slot.
//!
//! The small helpers the functions call per element are `#[inline]`: this module may
//! be compiled in another codegen unit than `lib.rs`, and they must inline there.

use std::hash::Hasher;

use numpy::{PyArray1, PyArray2, PyArrayMethods, PyReadonlyArray1, PyReadonlyArray2};
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyList};

// ---------------------------------------------------------------------------------------
// Reading arguments
// ---------------------------------------------------------------------------------------

/// The item pointers of a list.
///
/// SAFETY: the GIL must be held, and the slice is only valid while no Python code runs
/// and nothing the garbage collector tracks is allocated (a collection may run a
/// finalizer that changes the list). Floats and ints are not tracked: every function
/// below allocates its result lists *before* it reads through a view, and only floats
/// and ints while it does.
#[inline]
pub(crate) unsafe fn list_items<'a>(list: &'a Bound<'_, PyList>) -> &'a [*mut ffi::PyObject] {
    let n = ffi::Py_SIZE(list.as_ptr()) as usize;
    if n == 0 {
        return &[];
    }
    let raw = list.as_ptr().cast::<ffi::PyListObject>();
    std::slice::from_raw_parts((*raw).ob_item, n)
}

pub(crate) fn wrong_item(item: *mut ffi::PyObject, name: &str, want: &str) -> PyErr {
    // SAFETY: `item` is a live object of the list being read (GIL held).
    let tp = unsafe { std::ffi::CStr::from_ptr((*ffi::Py_TYPE(item)).tp_name) };
    PyTypeError::new_err(format!(
        "`{name}` must hold {want}, not {}",
        tp.to_string_lossy()
    ))
}

/// Random access to float64 values, in place: a list of exact floats or an array slice.
pub(crate) trait Floats {
    fn len(&self) -> usize;
    fn at(&self, i: usize) -> f64;
}

impl Floats for [f64] {
    #[inline]
    fn len(&self) -> usize {
        <[f64]>::len(self)
    }
    #[inline]
    fn at(&self, i: usize) -> f64 {
        self[i]
    }
}

/// A list whose items were all checked to be exact floats.
pub(crate) struct FloatList<'a> {
    pub(crate) items: &'a [*mut ffi::PyObject],
}

impl<'a> FloatList<'a> {
    #[inline]
    pub(crate) fn new(list: &'a Bound<'_, PyList>, name: &str) -> PyResult<Self> {
        // SAFETY: see `list_items`; the checks read each item's type only.
        let items = unsafe { list_items(list) };
        for &item in items {
            if unsafe { ffi::PyFloat_CheckExact(item) } == 0 {
                return Err(wrong_item(item, name, "floats"));
            }
        }
        Ok(FloatList { items })
    }
}

impl Floats for FloatList<'_> {
    #[inline]
    fn len(&self) -> usize {
        self.items.len()
    }
    #[inline]
    fn at(&self, i: usize) -> f64 {
        // SAFETY: every item is an exact float (checked in `new`) and still alive.
        unsafe { ffi::PyFloat_AS_DOUBLE(self.items[i]) }
    }
}

/// A float sequence argument: a list, or a 1-d float64 array.
pub(crate) enum FloatsArg<'py> {
    List(Bound<'py, PyList>),
    Array(PyReadonlyArray1<'py, f64>),
}

impl FloatsArg<'_> {
    pub(crate) fn len(&self) -> usize {
        match self {
            FloatsArg::List(list) => list.len(),
            FloatsArg::Array(array) => array.as_array().len(),
        }
    }
}

pub(crate) fn floats_arg<'py>(ob: &Bound<'py, PyAny>, name: &str) -> PyResult<FloatsArg<'py>> {
    if let Ok(list) = ob.cast_exact::<PyList>() {
        return Ok(FloatsArg::List(list.clone()));
    }
    if let Ok(array) = ob.cast::<PyArray1<f64>>() {
        return Ok(FloatsArg::Array(array.try_readonly()?));
    }
    Err(PyTypeError::new_err(format!(
        "`{name}` must be a list of floats or a 1-d float64 array, not {}",
        ob.get_type().name()?
    )))
}

/// Runs `$body` with `$v` bound to the argument's values as a `&impl Floats`: the list
/// checked and read in place, or the array's contiguous data (copied once if strided).
macro_rules! with_floats {
    ($arg:expr, $name:expr, |$v:ident| $body:expr) => {
        match &$arg {
            FloatsArg::List(list) => {
                let view = FloatList::new(list, $name)?;
                let $v = &view;
                $body
            }
            FloatsArg::Array(array) => {
                let strided: Vec<f64>;
                let $v: &[f64] = match array.as_slice() {
                    Ok(slice) => slice,
                    Err(_) => {
                        strided = array.as_array().iter().copied().collect();
                        &strided
                    }
                };
                $body
            }
        }
    };
}

/// An int sequence argument: a list, or a 1-d int64 array.
pub(crate) enum IntsArg<'py> {
    List(Bound<'py, PyList>),
    Array(PyReadonlyArray1<'py, i64>),
}

pub(crate) fn ints_arg<'py>(ob: &Bound<'py, PyAny>, name: &str) -> PyResult<IntsArg<'py>> {
    if let Ok(list) = ob.cast_exact::<PyList>() {
        return Ok(IntsArg::List(list.clone()));
    }
    if let Ok(array) = ob.cast::<PyArray1<i64>>() {
        return Ok(IntsArg::Array(array.try_readonly()?));
    }
    Err(PyTypeError::new_err(format!(
        "`{name}` must be a list of ints or a 1-d int64 array, not {}",
        ob.get_type().name()?
    )))
}

/// An exact int read as i64 (OverflowError beyond 64 bits).
///
/// SAFETY: GIL held, `item` alive.
#[inline]
pub(crate) unsafe fn exact_int(
    py: Python<'_>,
    item: *mut ffi::PyObject,
    name: &str,
) -> PyResult<i64> {
    if ffi::PyLong_CheckExact(item) == 0 {
        return Err(wrong_item(item, name, "ints"));
    }
    let v = ffi::PyLong_AsLongLong(item);
    if v == -1 && !ffi::PyErr_Occurred().is_null() {
        return Err(PyErr::fetch(py));
    }
    Ok(v)
}

pub(crate) fn exact_float(ob: &Bound<'_, PyAny>, name: &str) -> PyResult<f64> {
    match ob.cast_exact::<PyFloat>() {
        Ok(f) => Ok(f.value()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "`{name}` must be a float, not {}",
            ob.get_type().name()?
        ))),
    }
}

/// A matrix argument as row-major data: a list of lists of floats (copied: the
/// product reads every element many times) or a 2-d float64 array (in place when
/// C-contiguous).
pub(crate) enum MatrixArg<'py> {
    Lists(Bound<'py, PyList>),
    Array(PyReadonlyArray2<'py, f64>),
}

pub(crate) fn matrix_arg<'py>(ob: &Bound<'py, PyAny>, name: &str) -> PyResult<MatrixArg<'py>> {
    if let Ok(list) = ob.cast_exact::<PyList>() {
        return Ok(MatrixArg::Lists(list.clone()));
    }
    if let Ok(array) = ob.cast::<PyArray2<f64>>() {
        return Ok(MatrixArg::Array(array.try_readonly()?));
    }
    Err(PyTypeError::new_err(format!(
        "`{name}` must be a list of lists of floats or a 2-d float64 array, not {}",
        ob.get_type().name()?
    )))
}

/// The rows of a list of lists; each row must be a list.
pub(crate) fn list_rows<'a>(
    list: &'a Bound<'_, PyList>,
    name: &str,
) -> PyResult<Vec<&'a [*mut ffi::PyObject]>> {
    // SAFETY: GIL held; no Python code runs while the rows are read.
    let rows = unsafe { list_items(list) };
    rows.iter()
        .map(|&row| {
            if unsafe { ffi::PyList_CheckExact(row) } == 0 {
                return Err(wrong_item(row, name, "lists"));
            }
            let len = unsafe { ffi::Py_SIZE(row) } as usize;
            if len == 0 {
                return Ok(&[][..]);
            }
            let raw = row.cast::<ffi::PyListObject>();
            Ok(unsafe { std::slice::from_raw_parts((*raw).ob_item, len) })
        })
        .collect()
}

#[inline]
pub(crate) fn read_float(item: *mut ffi::PyObject, name: &str) -> PyResult<f64> {
    // SAFETY: GIL held, `item` alive.
    if unsafe { ffi::PyFloat_CheckExact(item) } == 0 {
        return Err(wrong_item(item, name, "floats"));
    }
    Ok(unsafe { ffi::PyFloat_AS_DOUBLE(item) })
}

// ---------------------------------------------------------------------------------------
// Building results
// ---------------------------------------------------------------------------------------

/// A new list of `n` slots, filled in order by `push_*`; `finish` hands it to Python.
pub(crate) struct NewList {
    list: *mut ffi::PyObject,
    n: usize,
    filled: usize,
}

impl NewList {
    pub(crate) fn new(py: Python<'_>, n: usize) -> PyResult<NewList> {
        // SAFETY: GIL held; a fresh list whose empty slots are NULL until set.
        let list = unsafe { ffi::PyList_New(n as ffi::Py_ssize_t) };
        if list.is_null() {
            return Err(PyErr::fetch(py));
        }
        Ok(NewList { list, n, filled: 0 })
    }

    #[inline]
    pub(crate) fn push(&mut self, py: Python<'_>, item: *mut ffi::PyObject) -> PyResult<()> {
        if item.is_null() {
            return Err(PyErr::fetch(py));
        }
        assert!(
            self.filled < self.n,
            "more items than the list was made for"
        );
        // SAFETY: in bounds; SET_ITEM steals the new reference into an empty slot.
        unsafe { ffi::PyList_SET_ITEM(self.list, self.filled as ffi::Py_ssize_t, item) };
        self.filled += 1;
        Ok(())
    }

    #[inline]
    pub(crate) fn push_float(&mut self, py: Python<'_>, v: f64) -> PyResult<()> {
        self.push(py, unsafe { ffi::PyFloat_FromDouble(v) })
    }

    #[inline]
    pub(crate) fn push_int(&mut self, py: Python<'_>, v: i64) -> PyResult<()> {
        self.push(py, unsafe { ffi::PyLong_FromLongLong(v) })
    }

    pub(crate) fn push_list(&mut self, py: Python<'_>, row: NewList) -> PyResult<()> {
        let row = row.finish(py);
        self.push(py, row.into_ptr())
    }

    pub(crate) fn finish(self, py: Python<'_>) -> Py<PyAny> {
        assert_eq!(
            self.filled, self.n,
            "a result list was left with empty slots"
        );
        let list = self.list;
        std::mem::forget(self);
        // SAFETY: every slot is set; we own the one reference.
        unsafe { Bound::from_owned_ptr(py, list) }.unbind()
    }
}

impl Drop for NewList {
    fn drop(&mut self) {
        // SAFETY: we own the reference; empty (NULL) slots are skipped by the list.
        unsafe { ffi::Py_DECREF(self.list) }
    }
}

// ---------------------------------------------------------------------------------------
// Python's float semantics where Rust's differ
// ---------------------------------------------------------------------------------------

/// `x ** 2.0` as CPython computes it: libm's pow (not `x * x`, which can round
/// differently), OverflowError when a finite base overflows.
#[inline]
pub(crate) fn py_square(x: f64) -> PyResult<f64> {
    // black_box: LLVM would otherwise rewrite pow(x, 2.0) as x * x.
    let r = std::hint::black_box(x).powf(std::hint::black_box(2.0));
    if r.is_infinite() && x.is_finite() {
        return Err(PyOverflowError::new_err(
            "(34, 'Numerical result out of range')",
        ));
    }
    Ok(r)
}

/// FxHash (rustc's hasher): the pairs are short strings, where SipHash's setup dominates.
#[derive(Default)]
pub(crate) struct FxHasher(u64);

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().unwrap()));
        }
        let mut tail = [0u8; 8];
        let rest = chunks.remainder();
        tail[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(tail));
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }
}
