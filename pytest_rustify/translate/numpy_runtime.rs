// pytest-rustify runtime for NumPy: float64/int64 arrays of 1 and 2 dimensions read and
// written in place through rust-numpy, and NumPy's scalars.
//
// `F64` holds a float or an np.float64, `I64` an int or an np.int64; `np` says which, so
// that results come back as the type Python would have made. Arithmetic follows NumPy's
// rules, and wherever NumPy would warn (division by zero, overflow, an invalid value)
// or Python's rules would differ (ZeroDivisionError, big ints, exact int/float
// comparison beyond 2**53), the call falls back to Python, which then does exactly
// what it does, warnings included. Index errors carry NumPy's own message.
#![allow(dead_code)]

use crate::rt::{self, Exc, RtErr, R};
use numpy::ndarray::{ArrayBase, Data, DataMut, Dimension};
use numpy::{
    Element, PyArray, PyArrayDescr, PyArrayDescrMethods, PyArrayMethods, PyReadonlyArray,
    PyReadwriteArray, PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt};

pub use numpy::ndarray::{Array1, Array2, ArrayView1, ArrayView2, ArrayViewMut1, ArrayViewMut2};
pub use numpy::ndarray::{Ix1, Ix2};

// ---------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------

#[derive(Clone, Copy, Default, Debug)]
pub struct F64 {
    pub v: f64,
    pub np: bool,
}

#[derive(Clone, Copy, Default, Debug)]
pub struct I64 {
    pub v: i64,
    pub np: bool,
}

impl F64 {
    #[inline]
    pub fn py(v: f64) -> F64 {
        F64 { v, np: false }
    }
}

impl I64 {
    #[inline]
    pub fn py(v: i64) -> I64 {
        I64 { v, np: false }
    }
}

// Comparisons look at the value only: np.float64(1.0) == 1.0.
impl PartialEq for F64 {
    #[inline]
    fn eq(&self, o: &F64) -> bool {
        self.v == o.v
    }
}
impl PartialOrd for F64 {
    #[inline]
    fn partial_cmp(&self, o: &F64) -> Option<std::cmp::Ordering> {
        self.v.partial_cmp(&o.v)
    }
}
impl PartialEq for I64 {
    #[inline]
    fn eq(&self, o: &I64) -> bool {
        self.v == o.v
    }
}
impl PartialOrd for I64 {
    #[inline]
    fn partial_cmp(&self, o: &I64) -> Option<std::cmp::Ordering> {
        self.v.partial_cmp(&o.v)
    }
}

impl rt::Truthy for F64 {
    #[inline]
    fn truthy(&self) -> bool {
        self.v != 0.0
    }
}
impl rt::Truthy for I64 {
    #[inline]
    fn truthy(&self) -> bool {
        self.v != 0
    }
}

/// An array element: the raw value a float64/int64 array stores, and the scalar an
/// item read gives (always NumPy's type).
pub trait Elem: Element + Copy + Default {
    type S: Copy;
    fn wrap(self) -> Self::S;
}
impl Elem for f64 {
    type S = F64;
    #[inline]
    fn wrap(self) -> F64 {
        F64 { v: self, np: true }
    }
}
impl Elem for i64 {
    type S = I64;
    #[inline]
    fn wrap(self) -> I64 {
        I64 { v: self, np: true }
    }
}

/// What an item assignment stores, converted as NumPy's setitem converts it (a Python
/// int into a float64 array rounds to nearest, as `float(int)` does).
pub trait IntoElem<E> {
    fn into_elem(self) -> E;
}
impl IntoElem<f64> for F64 {
    #[inline]
    fn into_elem(self) -> f64 {
        self.v
    }
}
impl IntoElem<f64> for f64 {
    #[inline]
    fn into_elem(self) -> f64 {
        self
    }
}
impl IntoElem<f64> for I64 {
    #[inline]
    fn into_elem(self) -> f64 {
        self.v as f64
    }
}
impl IntoElem<f64> for i64 {
    #[inline]
    fn into_elem(self) -> f64 {
        self as f64
    }
}
impl IntoElem<f64> for bool {
    #[inline]
    fn into_elem(self) -> f64 {
        if self {
            1.0
        } else {
            0.0
        }
    }
}
impl IntoElem<i64> for I64 {
    #[inline]
    fn into_elem(self) -> i64 {
        self.v
    }
}
impl IntoElem<i64> for i64 {
    #[inline]
    fn into_elem(self) -> i64 {
        self
    }
}
impl IntoElem<i64> for bool {
    #[inline]
    fn into_elem(self) -> i64 {
        self as i64
    }
}

const WARNS: &str = "NumPy would warn here (division by zero, overflow or an invalid value)";
const EXACT: i64 = 1 << 53;

/// A float result, or a fallback where NumPy raises a floating-point warning: an
/// infinity made from finite operands (overflow, division by zero) or a NaN made from
/// non-NaN ones (invalid). Python's float rules differ from NumPy's exactly there.
#[inline]
fn checked(a: f64, b: f64, r: f64) -> R<f64> {
    if r.is_finite() {
        return Ok(r);
    }
    if r.is_nan() {
        if a.is_nan() || b.is_nan() {
            return Ok(r);
        }
        return rt::fallback(WARNS);
    }
    if a.is_finite() && b.is_finite() {
        return rt::fallback(WARNS);
    }
    Ok(r)
}

#[inline]
fn f(v: f64, a: F64, b: F64) -> F64 {
    F64 { v, np: a.np || b.np }
}

#[inline]
pub fn add_f(a: F64, b: F64) -> R<F64> {
    Ok(f(checked(a.v, b.v, a.v + b.v)?, a, b))
}
#[inline]
pub fn sub_f(a: F64, b: F64) -> R<F64> {
    Ok(f(checked(a.v, b.v, a.v - b.v)?, a, b))
}
#[inline]
pub fn mul_f(a: F64, b: F64) -> R<F64> {
    Ok(f(checked(a.v, b.v, a.v * b.v)?, a, b))
}
#[inline]
pub fn truediv_f(a: F64, b: F64) -> R<F64> {
    if b.v == 0.0 {
        return rt::fallback(WARNS);
    }
    Ok(f(checked(a.v, b.v, a.v / b.v)?, a, b))
}
/// NumPy's npy_floor_divide and Python's float floor division are the same algorithm
/// (CPython's float_divmod) for a non-zero divisor.
#[inline]
pub fn floordiv_f(a: F64, b: F64) -> R<F64> {
    if b.v == 0.0 {
        return rt::fallback(WARNS);
    }
    Ok(f(checked(a.v, b.v, rt::floordiv_f(a.v, b.v)?)?, a, b))
}
#[inline]
pub fn mod_f(a: F64, b: F64) -> R<F64> {
    if b.v == 0.0 {
        return rt::fallback(WARNS);
    }
    Ok(f(checked(a.v, b.v, rt::mod_f(a.v, b.v)?)?, a, b))
}
/// Both call the C library's pow; Python raises where NumPy gives inf or NaN with a
/// warning, and those results fall back.
#[inline]
pub fn pow_f(a: F64, b: F64) -> R<F64> {
    Ok(f(checked(a.v, b.v, a.v.powf(b.v))?, a, b))
}
#[inline]
pub fn neg_f(a: F64) -> F64 {
    F64 { v: -a.v, np: a.np }
}
#[inline]
pub fn abs_f(a: F64) -> F64 {
    F64 { v: a.v.abs(), np: a.np }
}

#[inline]
fn i(v: i64, a: I64, b: I64) -> I64 {
    I64 { v, np: a.np || b.np }
}

// int64 overflow wraps with a warning in NumPy and grows in Python: both fall back.
#[inline]
pub fn add_i(a: I64, b: I64) -> R<I64> {
    match a.v.checked_add(b.v) {
        Some(v) => Ok(i(v, a, b)),
        None => rt::fallback(WARNS),
    }
}
#[inline]
pub fn sub_i(a: I64, b: I64) -> R<I64> {
    match a.v.checked_sub(b.v) {
        Some(v) => Ok(i(v, a, b)),
        None => rt::fallback(WARNS),
    }
}
#[inline]
pub fn mul_i(a: I64, b: I64) -> R<I64> {
    match a.v.checked_mul(b.v) {
        Some(v) => Ok(i(v, a, b)),
        None => rt::fallback(WARNS),
    }
}
#[inline]
pub fn floordiv_i(a: I64, b: I64) -> R<I64> {
    if b.v == 0 {
        return rt::fallback(WARNS);
    }
    Ok(i(rt::floordiv_i(a.v, b.v)?, a, b))
}
#[inline]
pub fn mod_i(a: I64, b: I64) -> R<I64> {
    if b.v == 0 {
        return rt::fallback(WARNS);
    }
    Ok(i(rt::mod_i(a.v, b.v)?, a, b))
}
/// int64 ** int64 wraps silently in NumPy; between two Python ints it grows, and a
/// negative exponent is a ValueError in NumPy but a float in Python: those fall back.
pub fn pow_i(a: I64, b: I64) -> R<I64> {
    if b.v < 0 {
        return rt::fallback("a negative integer power");
    }
    if !(a.np || b.np) {
        return Ok(i(rt::pow_i(a.v, b.v)?, a, b));
    }
    let (mut base, mut exp, mut acc) = (a.v, b.v as u64, 1_i64);
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc.wrapping_mul(base);
        }
        base = base.wrapping_mul(base);
        exp >>= 1;
    }
    Ok(i(acc, a, b))
}
/// int64 / int64: NumPy divides the two doubles; Python rounds the exact quotient once.
/// They agree while both ints are exact doubles.
#[inline]
pub fn truediv_i(a: I64, b: I64) -> R<F64> {
    if b.v == 0 || a.v.abs() > EXACT || b.v.abs() > EXACT || a.v == i64::MIN || b.v == i64::MIN {
        return rt::fallback(WARNS);
    }
    Ok(F64 { v: a.v as f64 / b.v as f64, np: a.np || b.np })
}
#[inline]
pub fn neg_i(a: I64) -> R<I64> {
    match a.v.checked_neg() {
        Some(v) => Ok(I64 { v, np: a.np }),
        None => rt::fallback(WARNS),
    }
}
#[inline]
pub fn abs_i(a: I64) -> R<I64> {
    match a.v.checked_abs() {
        Some(v) => Ok(I64 { v, np: a.np }),
        None => rt::fallback(WARNS),
    }
}

/// An int (or int64) in float arithmetic: NumPy and Python both round to nearest.
#[inline]
pub fn i2f(a: I64) -> F64 {
    F64 { v: a.v as f64, np: a.np }
}
/// An int compared with a float: NumPy compares the rounded double, Python the exact
/// values; they agree while the int is an exact double.
#[inline]
pub fn i2f_exact(a: I64) -> R<F64> {
    if a.v.abs() > EXACT || a.v == i64::MIN {
        return rt::fallback("an int beyond 2**53 compared with a float");
    }
    Ok(F64 { v: a.v as f64, np: a.np })
}

// ---------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------

/// NumPy's index check: IndexError "index 5 is out of bounds for axis 0 with size 3".
#[inline]
pub fn ix(len: usize, i: i64, axis: u8) -> R<usize> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(RtErr::Index(rt::IndexErr::Axis(i, axis, len)));
    }
    Ok(j as usize)
}

#[inline]
pub fn len<S: Data, D: Dimension>(a: &ArrayBase<S, D>) -> i64 {
    a.shape()[0] as i64
}
/// ``len(a[i])`` of a 2-D array: the row index is checked as indexing checks it.
#[inline]
pub fn row_len<S: Data>(a: &ArrayBase<S, Ix2>, i: i64) -> R<i64> {
    ix(rows(a), i, 0)?;
    Ok(cols(a) as i64)
}
#[inline]
pub fn size<S: Data, D: Dimension>(a: &ArrayBase<S, D>) -> i64 {
    a.len() as i64
}
#[inline]
pub fn shape1<S: Data>(a: &ArrayBase<S, Ix1>) -> (i64,) {
    (a.len() as i64,)
}
#[inline]
pub fn shape2<S: Data>(a: &ArrayBase<S, Ix2>) -> (i64, i64) {
    let (r, c) = a.dim();
    (r as i64, c as i64)
}

#[inline]
pub fn get1<S: Data<Elem = E>, E: Elem>(a: &ArrayBase<S, Ix1>, i: i64) -> R<E::S> {
    let j = ix(a.len(), i, 0)?;
    // SAFETY: ix checked j < len.
    Ok(unsafe { *a.uget(j) }.wrap())
}
/// `for x in a` over a 1-D array, by position: ndarray's own iterator decides between its
/// contiguous and strided forms on every `next` (and zipped, keeps that state in memory),
/// which made a loop zipping two arrays several times slower than a slice loop.
#[inline]
pub fn items1<'a, E: Elem>(
    a: ArrayView1<'a, E>,
) -> impl DoubleEndedIterator<Item = E::S> + ExactSizeIterator + 'a {
    (0..a.len()).map(move |i| {
        // SAFETY: i < a.len().
        unsafe { *a.uget(i) }.wrap()
    })
}
/// ``a[i, j]``: both indices are evaluated before either is checked.
#[inline]
pub fn get2<S: Data<Elem = E>, E: Elem>(a: &ArrayBase<S, Ix2>, i: i64, j: i64) -> R<E::S> {
    let p = pos2(a, i, j)?;
    // SAFETY: pos2 checked both coordinates.
    Ok(unsafe { *a.uget(p) }.wrap())
}
#[inline]
pub fn pos2<S: Data, D: Dimension>(a: &ArrayBase<S, D>, i: i64, j: i64) -> R<(usize, usize)> {
    let s = a.shape();
    Ok((ix(s[0], i, 0)?, ix(s[1], j, 1)?))
}
#[inline]
pub fn rows<S: Data, D: Dimension>(a: &ArrayBase<S, D>) -> usize {
    a.shape()[0]
}
#[inline]
pub fn cols<S: Data, D: Dimension>(a: &ArrayBase<S, D>) -> usize {
    a.shape()[1]
}
/// An item at a position already checked (``a[i][j]``, augmented assignment).
#[inline]
pub fn at1<S: Data<Elem = E>, E: Elem>(a: &ArrayBase<S, Ix1>, j: usize) -> E::S {
    a[j].wrap()
}
#[inline]
pub fn at2<S: Data<Elem = E>, E: Elem>(a: &ArrayBase<S, Ix2>, p: (usize, usize)) -> E::S {
    a[p].wrap()
}
#[inline]
pub fn put1<S: DataMut<Elem = E>, E: Elem>(a: &mut ArrayBase<S, Ix1>, j: usize, v: E) {
    a[j] = v;
}
#[inline]
pub fn put2<S: DataMut<Elem = E>, E: Elem>(a: &mut ArrayBase<S, Ix2>, p: (usize, usize), v: E) {
    a[p] = v;
}

/// ``np.zeros(shape)`` (and ``np.empty``, ``np.ones``): ValueError for a negative
/// dimension as NumPy says it; a size the allocator refuses falls back, so Python
/// raises its own error.
pub fn full<E: Elem, D: Dimension>(dims: &[i64], fill: E) -> R<numpy::ndarray::Array<E, D>> {
    let mut total: usize = 1;
    let mut shape = D::zeros(dims.len());
    for (k, &d) in dims.iter().enumerate() {
        if d < 0 {
            return rt::raise(Exc::ValueError, "negative dimensions are not allowed");
        }
        shape[k] = d as usize;
        total = match total.checked_mul(d as usize) {
            Some(t) if t <= (isize::MAX as usize) / 8 => t,
            _ => return rt::fallback("array too big"),
        };
    }
    let mut data: Vec<E> = Vec::new();
    if data.try_reserve_exact(total).is_err() {
        return rt::fallback("array too big to allocate");
    }
    data.resize(total, fill);
    match numpy::ndarray::Array::from_shape_vec(shape, data) {
        Ok(a) => Ok(a),
        Err(_) => rt::fallback("array shape"),
    }
}

pub fn full_like<S: Data<Elem = E>, E: Elem, D: Dimension>(
    a: &ArrayBase<S, D>,
    fill: E,
) -> R<numpy::ndarray::Array<E, D>> {
    let dims: Vec<i64> = a.shape().iter().map(|&d| d as i64).collect();
    full(&dims, fill)
}

/// ``a.copy()``: a new C-ordered array.
pub fn copy<S: Data<Elem = E>, E: Elem, D: Dimension>(a: &ArrayBase<S, D>) -> numpy::ndarray::Array<E, D> {
    a.as_standard_layout().into_owned()
}

// ---------------------------------------------------------------------------
// The boundary
// ---------------------------------------------------------------------------

fn exact_ndarray(ob: &Bound<'_, PyAny>) -> bool {
    let py = ob.py();
    // SAFETY: reading the address of NumPy's array type object, which lives as long as
    // the interpreter; only compared, never dereferenced.
    let array_type =
        unsafe { numpy::npyffi::get_type_object(py, numpy::npyffi::NpyTypes::PyArray_Type) };
    ob.get_type().as_ptr() == array_type as *mut pyo3::ffi::PyObject
}

/// A read-only view of an argument that is exactly an ndarray (no subclass) of this
/// dtype (native byte order) and number of dimensions, aligned; any strides. Anything
/// else (float32, object, 3-D, a masked array, an array another argument is writing)
/// is None, and the call falls back.
pub fn ro<'py, E: Elem, D: Dimension>(ob: &Bound<'py, PyAny>) -> Option<PyReadonlyArray<'py, E, D>> {
    if !exact_ndarray(ob) {
        return None;
    }
    let arr = ob.cast::<PyArray<E, D>>().ok()?;
    if !arr.is_aligned() {
        return None;
    }
    arr.try_readonly().ok()
}

/// A writable view, as ``ro``; also None when the array is not writeable or overlaps
/// another argument's view (rust-numpy tracks the borrows).
pub fn rw<'py, E: Elem, D: Dimension>(ob: &Bound<'py, PyAny>) -> Option<PyReadwriteArray<'py, E, D>> {
    if !exact_ndarray(ob) {
        return None;
    }
    let arr = ob.cast::<PyArray<E, D>>().ok()?;
    if !arr.is_aligned() {
        return None;
    }
    arr.try_readwrite().ok()
}

/// The items of an argument the function writes, kept so that a call that falls back
/// after writing can put them back before Python runs it from the start.
pub fn snapshot<E: Elem, D: Dimension>(a: &PyReadwriteArray<'_, E, D>) -> numpy::ndarray::Array<E, D> {
    a.as_array().to_owned()
}

pub fn restore<E: Elem, D: Dimension>(mut a: PyReadwriteArray<'_, E, D>, saved: &numpy::ndarray::Array<E, D>) {
    a.as_array_mut().assign(saved);
}

/// A new NumPy array owning the Rust buffer (no copy).
pub fn array_to_py<E: Elem, D: Dimension>(a: numpy::ndarray::Array<E, D>, py: Python<'_>) -> PyResult<Py<PyAny>> {
    Ok(PyArray::from_owned_array(py, a).into_any().unbind())
}

fn scalar_type<'py, E: Element>(py: Python<'py>) -> Bound<'py, pyo3::types::PyType> {
    PyArrayDescr::of::<E>(py).typeobj()
}

impl rt::FromPy for F64 {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        if let Ok(x) = ob.cast_exact::<PyFloat>() {
            return Some(F64 { v: x.value(), np: false });
        }
        if ob.get_type().is(&scalar_type::<f64>(ob.py())) {
            return ob.extract::<f64>().ok().map(|v| F64 { v, np: true });
        }
        None
    }
}
impl rt::FromPy for I64 {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        if let Ok(x) = ob.cast_exact::<PyInt>() {
            return x.extract::<i64>().ok().map(|v| I64 { v, np: false });
        }
        if ob.get_type().is(&scalar_type::<i64>(ob.py())) {
            return ob.extract::<i64>().ok().map(|v| I64 { v, np: true });
        }
        None
    }
}
/// A new np.float64/np.int64 holding `v`, made as NumPy makes the items it hands out
/// (`PyArray_Scalar`), rather than by calling the type on a Python number: a list of
/// NumPy scalars is what `[x / n for x in a]` returns, and each item counts.
fn np_scalar<E: Element + Copy>(py: Python<'_>, v: E) -> PyResult<Py<PyAny>> {
    let descr = PyArrayDescr::of::<E>(py);
    let mut v = v;
    // SAFETY: `v` is a value of the descriptor's type, alive for the call; with no base
    // object, PyArray_Scalar copies it into the new scalar.
    unsafe {
        let ptr = numpy::npyffi::PY_ARRAY_API.PyArray_Scalar(
            py,
            (&mut v as *mut E).cast(),
            descr.as_dtype_ptr(),
            std::ptr::null_mut(),
        );
        Ok(Bound::from_owned_ptr_or_err(py, ptr)?.unbind())
    }
}

impl rt::ToPy for F64 {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.np {
            np_scalar(py, self.v)
        } else {
            Ok(PyFloat::new(py, self.v).into_any().unbind())
        }
    }
}
impl rt::ToPy for I64 {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.np {
            np_scalar(py, self.v)
        } else {
            Ok(self.v.into_pyobject(py)?.into_any().unbind())
        }
    }
}
