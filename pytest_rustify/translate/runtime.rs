// pytest-rustify runtime: the Python semantics that generated code relies on.
//
// Every helper here keeps one row of SEMANTICS.md: checked integer arithmetic that
// hands the call back to Python on overflow, floor division and modulo with Python's
// signs, ZeroDivisionError with CPython's messages, IndexError on out-of-range indices,
// min/max that treat NaN the way Python's comparison loop does, banker's rounding,
// CPython's complex arithmetic, strict argument conversion and result construction.
#![allow(dead_code)]

use indexmap::IndexMap;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::rc::Rc;

/// Python's str: immutable, so a shared, reference-counted string is exact, and copying
/// one is a count increment, as in Python. Not atomic: generated code runs on the thread
/// holding the GIL, and atomic counts cost more than the loop bodies. Like CPython's
/// str it caches its hash and compares by identity before content, so dict keys made of
/// strings cost what they cost in Python, not a rehash of every byte per lookup.
/// A string that came from (or went to) Python keeps that str object, so a result hands
/// back the very object Python would, with its own cached hash, and a string crossing
/// the boundary twice is converted once.
#[derive(Clone, Default)]
pub struct Str(Rc<StrInner>);

#[derive(Default)]
pub struct StrInner {
    hash: std::cell::Cell<u64>, // 0: not computed yet
    text: Box<str>,
    // Set at most once, with the GIL held; dropped with the string, which never leaves
    // the thread that holds the GIL (Rc is not Send).
    obj: std::cell::OnceCell<Py<PyString>>,
}

impl Str {
    #[inline]
    pub fn ptr(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }
}

impl std::ops::Deref for Str {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        &self.0.text
    }
}

impl From<&str> for Str {
    #[inline]
    fn from(s: &str) -> Str {
        Str(Rc::new(StrInner { hash: std::cell::Cell::new(0), text: s.into(), obj: Default::default() }))
    }
}

impl From<String> for Str {
    #[inline]
    fn from(s: String) -> Str {
        Str(Rc::new(StrInner { hash: std::cell::Cell::new(0), text: s.into_boxed_str(), obj: Default::default() }))
    }
}

impl PartialEq for Str {
    #[inline]
    fn eq(&self, other: &Str) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || self.0.text == other.0.text
    }
}
impl Eq for Str {}

impl PartialOrd for Str {
    #[inline]
    fn partial_cmp(&self, other: &Str) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Str {
    #[inline]
    fn cmp(&self, other: &Str) -> std::cmp::Ordering {
        // UTF-8 byte order is code point order, which is how Python compares str.
        self.0.text.cmp(&other.0.text)
    }
}

impl Hash for Str {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut h = self.0.hash.get();
        if h == 0 {
            let mut fx = FxHasher::default();
            fx.write(self.0.text.as_bytes());
            h = fx.finish() | 1;
            self.0.hash.set(h);
        }
        state.write_u64(h);
    }
}

impl std::fmt::Debug for Str {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0.text, f)
    }
}

/// Python's dict: insertion-ordered, here with a fast deterministic hasher
/// (the keys are the program's own data, and SipHash would dominate small loops).
pub type Map<K, V> = IndexMap<K, V, BuildHasherDefault<FxHasher>>;

#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.add(i as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    #[inline]
    fn write_i64(&mut self, i: i64) {
        self.add(i as u64);
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

#[inline]
pub fn str_new(s: &str) -> Str {
    Str::from(s)
}

thread_local! {
    // One string per Latin-1 character, made once per thread (as CPython keeps one object
    // per such character), so iterating or indexing a text allocates nothing for them.
    // Never dropped: a destructor at thread exit could release Python objects cached in
    // them after the interpreter is gone.
    static LATIN1: std::mem::ManuallyDrop<Vec<Str>> = std::mem::ManuallyDrop::new(
        (0..=255u8).map(|b| new_str_of_char(char::from(b))).collect()
    );
}

#[inline]
pub fn str_of_char(c: char) -> Str {
    match u8::try_from(c) {
        Ok(b) => LATIN1.with(|t| t[usize::from(b)].clone()),
        Err(_) => new_str_of_char(c),
    }
}

fn new_str_of_char(c: char) -> Str {
    let mut buf = [0u8; 4];
    Str::from(&*c.encode_utf8(&mut buf))
}

pub fn str_concat(a: &str, b: &str) -> Str {
    let mut s = String::with_capacity(a.len() + b.len());
    s.push_str(a);
    s.push_str(b);
    Str::from(s)
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exc {
    ValueError,
    IndexError,
    KeyError,
    ZeroDivisionError,
    OverflowError,
    TypeError,
    AssertionError,
    RuntimeError,
    MemoryError,
    /// A dict lookup that missed: the message is a Python literal of the key.
    MissingKey,
}

#[derive(Debug)]
pub enum RtErr {
    /// Raise this Python exception with this message.
    Raise(Exc, String),
    /// Raise this Python exception with no arguments (a bare `raise KeyError`).
    RaiseBare(Exc),
    /// The Rust types cannot represent what Python would do here (an int that
    /// overflowed i64, an int/float result decided at run time): run the Python
    /// original for this call instead, and count it.
    Fallback(&'static str),
    /// `Raise` with a message known at compile time.
    RaiseStatic(Exc, &'static str),
    /// An IndexError whose message is formatted only when it reaches Python.
    Index(IndexErr),
}

// The variants without a String are built inline, without a call: an error path that
// calls a function returning an `RtErr` hides from LLVM that the result is an `Err` (the
// discriminant is a niche inside the String), so the path rejoins the loop and every
// accumulator of a loop that indexes or may fall back is spilled to the stack.
#[derive(Debug, Clone, Copy)]
pub enum IndexErr {
    /// "<what> index out of range" (a list, str or tuple).
    Seq(&'static str),
    /// NumPy's "index i is out of bounds for axis a with size n".
    Axis(i64, u8, usize),
}

impl IndexErr {
    pub fn message(self) -> String {
        match self {
            IndexErr::Seq(what) => format!("{} index out of range", what),
            IndexErr::Axis(i, axis, len) => {
                format!("index {} is out of bounds for axis {} with size {}", i, axis, len)
            }
        }
    }
}

pub type R<T> = Result<T, RtErr>;

#[inline(always)]
pub fn raise<T>(exc: Exc, msg: &'static str) -> R<T> {
    Err(RtErr::RaiseStatic(exc, msg))
}

#[inline(always)]
pub fn fallback<T>(why: &'static str) -> R<T> {
    Err(RtErr::Fallback(why))
}

pub fn to_pyerr(exc: Exc, msg: String) -> PyErr {
    use pyo3::exceptions::*;
    match exc {
        Exc::ValueError => PyValueError::new_err(msg),
        Exc::IndexError => PyIndexError::new_err(msg),
        Exc::KeyError => PyKeyError::new_err(msg),
        Exc::ZeroDivisionError => PyZeroDivisionError::new_err(msg),
        Exc::OverflowError => PyOverflowError::new_err(msg),
        Exc::TypeError => PyTypeError::new_err(msg),
        Exc::AssertionError => PyAssertionError::new_err(msg),
        Exc::RuntimeError => PyRuntimeError::new_err(msg),
        Exc::MemoryError => PyMemoryError::new_err(msg),
        Exc::MissingKey => PyKeyError::new_err(msg),
    }
}

/// An exception with no arguments, as `raise ValueError` makes.
pub fn to_pyerr_bare(exc: Exc) -> PyErr {
    use pyo3::exceptions::*;
    match exc {
        Exc::ValueError => PyValueError::new_err(()),
        Exc::IndexError => PyIndexError::new_err(()),
        Exc::KeyError | Exc::MissingKey => PyKeyError::new_err(()),
        Exc::ZeroDivisionError => PyZeroDivisionError::new_err(()),
        Exc::OverflowError => PyOverflowError::new_err(()),
        Exc::TypeError => PyTypeError::new_err(()),
        Exc::AssertionError => PyAssertionError::new_err(()),
        Exc::RuntimeError => PyRuntimeError::new_err(()),
        Exc::MemoryError => PyMemoryError::new_err(()),
    }
}

/// The Python exception for a runtime error. A KeyError's message is a Python literal
/// of the missing key, evaluated back into the key object, so that the exception holds
/// the key itself (its str() is repr(key), computed by Python).
pub fn raise_in_python(py: Python<'_>, exc: Exc, msg: String) -> PyErr {
    if exc == Exc::MissingKey {
        let key = py
            .import("ast")
            .and_then(|m| m.getattr("literal_eval"))
            .and_then(|f| f.call1((msg.as_str(),)));
        if let Ok(key) = key {
            // One argument, the key, even when the key is itself a tuple.
            let args = PyTuple::new(py, [key]);
            if let Ok(args) = args {
                return pyo3::exceptions::PyKeyError::new_err(args.unbind());
            }
        }
    }
    to_pyerr(exc, msg)
}

/// KeyError carries the key itself: the message is a Python literal of it, which the
/// dispatcher turns back into the key object.
pub fn key_error<T, K: PyRepr>(key: &K) -> R<T> {
    Err(RtErr::Raise(Exc::MissingKey, key.py_repr()))
}

// ---------------------------------------------------------------------------
// Integers: i64 with overflow handed back to Python
// ---------------------------------------------------------------------------

const OVERFLOW: &str = "int result does not fit in 64 bits";

#[inline]
pub fn add_i(a: i64, b: i64) -> R<i64> {
    match a.checked_add(b) {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}
#[inline]
pub fn sub_i(a: i64, b: i64) -> R<i64> {
    match a.checked_sub(b) {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}
#[inline]
pub fn mul_i(a: i64, b: i64) -> R<i64> {
    match a.checked_mul(b) {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}
#[inline]
pub fn neg_i(a: i64) -> R<i64> {
    match a.checked_neg() {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}
#[inline]
pub fn abs_i(a: i64) -> R<i64> {
    match a.checked_abs() {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}

/// Python's a // b: floors toward negative infinity.
#[inline]
pub fn floordiv_i(a: i64, b: i64) -> R<i64> {
    if b == 0 {
        return raise(Exc::ZeroDivisionError, "integer division or modulo by zero");
    }
    if a == i64::MIN && b == -1 {
        return fallback(OVERFLOW);
    }
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        Ok(q - 1)
    } else {
        Ok(q)
    }
}

/// Python's a % b: the result takes the sign of b.
#[inline]
pub fn mod_i(a: i64, b: i64) -> R<i64> {
    if b == 0 {
        return raise(Exc::ZeroDivisionError, "integer modulo by zero");
    }
    if b == -1 {
        return Ok(0);
    }
    let r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        Ok(r + b)
    } else {
        Ok(r)
    }
}

pub fn divmod_i(a: i64, b: i64) -> R<(i64, i64)> {
    if b == 0 {
        return raise(Exc::ZeroDivisionError, "integer division or modulo by zero");
    }
    Ok((floordiv_i(a, b)?, mod_i(a, b)?))
}

/// int ** int with a non-negative exponent; a negative exponent makes a float in
/// Python, which an int-typed expression cannot hold, so that call falls back.
pub fn pow_i(a: i64, b: i64) -> R<i64> {
    if b < 0 {
        return fallback("int ** negative int is a float");
    }
    match a {
        0 => return Ok(if b == 0 { 1 } else { 0 }),
        1 => return Ok(1),
        -1 => return Ok(if b % 2 == 0 { 1 } else { -1 }),
        _ => {}
    }
    if b > u32::MAX as i64 {
        return fallback(OVERFLOW);
    }
    match a.checked_pow(b as u32) {
        Some(v) => Ok(v),
        None => fallback(OVERFLOW),
    }
}

const EXACT: i64 = 1 << 53;

/// int / int: Python rounds the exact quotient once; two floats divide exactly as
/// long as both ints are exactly representable.
#[inline]
pub fn truediv_i(a: i64, b: i64) -> R<f64> {
    if b == 0 {
        return raise(Exc::ZeroDivisionError, "division by zero");
    }
    if a.abs() > EXACT || b.abs() > EXACT || a == i64::MIN || b == i64::MIN {
        return fallback("int / int beyond 2**53 rounds differently");
    }
    Ok(a as f64 / b as f64)
}

/// float(i) for an i64, exactly as int.__float__ rounds (to nearest, ties to even).
#[inline]
pub fn i2f(a: i64) -> f64 {
    a as f64
}

// ---------------------------------------------------------------------------
// Floats
// ---------------------------------------------------------------------------

#[inline]
pub fn truediv_f(a: f64, b: f64) -> R<f64> {
    if b == 0.0 {
        return raise(Exc::ZeroDivisionError, "float division by zero");
    }
    Ok(a / b)
}

/// CPython's float_divmod, kept to the bit.
fn divmod_f_inner(vx: f64, wx: f64) -> (f64, f64) {
    let mut m = vx % wx; // C fmod
    let mut div = (vx - m) / wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
            div -= 1.0;
        }
    } else {
        m = 0.0_f64.copysign(wx);
    }
    let floordiv;
    if div != 0.0 {
        let mut f = div.floor();
        if div - f > 0.5 {
            f += 1.0;
        }
        floordiv = f;
    } else {
        floordiv = 0.0_f64.copysign(vx / wx);
    }
    (floordiv, m)
}

#[inline]
pub fn floordiv_f(a: f64, b: f64) -> R<f64> {
    if b == 0.0 {
        return raise(Exc::ZeroDivisionError, "float floor division by zero");
    }
    Ok(divmod_f_inner(a, b).0)
}

/// CPython's float_rem.
#[inline]
pub fn mod_f(vx: f64, wx: f64) -> R<f64> {
    if wx == 0.0 {
        return raise(Exc::ZeroDivisionError, "float modulo");
    }
    let mut m = vx % wx;
    if m != 0.0 {
        if (wx < 0.0) != (m < 0.0) {
            m += wx;
        }
    } else {
        m = 0.0_f64.copysign(wx);
    }
    Ok(m)
}

pub fn divmod_f(a: f64, b: f64) -> R<(f64, f64)> {
    if b == 0.0 {
        return raise(Exc::ZeroDivisionError, "float divmod()");
    }
    Ok(divmod_f_inner(a, b))
}

/// CPython's float_pow: the special cases first, then libm pow with its errors.
// Inlined: with a constant exponent (`x ** 2`) the special cases of the exponent fold
// away, leaving the base's checks and libm's pow, which Python calls too.
#[inline]
pub fn pow_f(iv: f64, iw: f64) -> R<f64> {
    if iw == 0.0 {
        return Ok(1.0);
    }
    if iv.is_nan() {
        return Ok(if iw == 0.0 { 1.0 } else { iv });
    }
    if iw.is_nan() {
        return Ok(if iv == 1.0 { 1.0 } else { iw });
    }
    if iw.is_infinite() {
        let av = iv.abs();
        return Ok(if av == 1.0 {
            1.0
        } else if (iw > 0.0) == (av > 1.0) {
            iw.abs()
        } else {
            0.0
        });
    }
    if iv.is_infinite() {
        let odd = iw.floor() == iw && (iw.abs() % 2.0) == 1.0;
        if iw > 0.0 {
            return Ok(if odd { iv } else { iv.abs() });
        } else {
            return Ok(if odd { 0.0_f64.copysign(iv) } else { 0.0 });
        }
    }
    if iv == 0.0 {
        let odd = iw.floor() == iw && (iw.abs() % 2.0) == 1.0;
        if iw < 0.0 {
            return raise(
                Exc::ZeroDivisionError,
                "0.0 cannot be raised to a negative power",
            );
        }
        return Ok(if odd { iv } else { 0.0 });
    }
    let mut negate = false;
    let mut v = iv;
    if v < 0.0 {
        if iw != iw.floor() {
            // Python returns a complex number here.
            return fallback("negative float ** non-integer is complex");
        }
        v = -v;
        negate = (iw.abs() % 2.0) == 1.0;
    }
    if v == 1.0 {
        return Ok(if negate { -1.0 } else { 1.0 });
    }
    let ix = libm_pow(v, iw); // never rewritten for a constant exponent
    let ix = if negate { -ix } else { ix };
    if ix.is_infinite() {
        return raise(Exc::OverflowError, "(34, 'Numerical result out of range')");
    }
    Ok(ix)
}

/// Exact comparison of an int with a float, as Python does (no rounding of the int).
pub fn cmp_if(i: i64, f: f64) -> Option<std::cmp::Ordering> {
    use std::cmp::Ordering;
    if f.is_nan() {
        return None;
    }
    if f.is_infinite() {
        return Some(if f > 0.0 { Ordering::Less } else { Ordering::Greater });
    }
    // Every i64 in (-2**63, 2**63) compares exactly against a float's floor.
    let fl = f.floor();
    if fl >= 9.223372036854775808e18 {
        return Some(Ordering::Less);
    }
    if fl < -9.223372036854775808e18 {
        return Some(Ordering::Greater);
    }
    let fi = fl as i64;
    match i.cmp(&fi) {
        Ordering::Equal => {
            if f > fl {
                Some(Ordering::Less)
            } else {
                Some(Ordering::Equal)
            }
        }
        o => Some(o),
    }
}

#[inline]
pub fn lt_if(i: i64, f: f64) -> bool {
    matches!(cmp_if(i, f), Some(std::cmp::Ordering::Less))
}
#[inline]
pub fn le_if(i: i64, f: f64) -> bool {
    matches!(
        cmp_if(i, f),
        Some(std::cmp::Ordering::Less) | Some(std::cmp::Ordering::Equal)
    )
}
#[inline]
pub fn gt_if(i: i64, f: f64) -> bool {
    matches!(cmp_if(i, f), Some(std::cmp::Ordering::Greater))
}
#[inline]
pub fn ge_if(i: i64, f: f64) -> bool {
    matches!(
        cmp_if(i, f),
        Some(std::cmp::Ordering::Greater) | Some(std::cmp::Ordering::Equal)
    )
}
#[inline]
pub fn eq_if(i: i64, f: f64) -> bool {
    matches!(cmp_if(i, f), Some(std::cmp::Ordering::Equal))
}

/// round(x) with no digits: half to even, an int.
pub fn round_f(x: f64) -> R<i64> {
    float_to_int(x.round_ties_even())
}

/// int(x): truncation toward zero, with Python's errors.
pub fn int_f(x: f64) -> R<i64> {
    float_to_int(x.trunc())
}

fn float_to_int(x: f64) -> R<i64> {
    if x.is_nan() {
        return raise(Exc::ValueError, "cannot convert float NaN to integer");
    }
    if x.is_infinite() {
        return raise(Exc::OverflowError, "cannot convert float infinity to integer");
    }
    if x >= 9.223372036854775808e18 || x < -9.223372036854775808e18 {
        return fallback(OVERFLOW);
    }
    Ok(x as i64)
}

// The math module: CPython's math_1 wrapper decides the errors from the result.
#[inline]
pub fn math1(x: f64, r: f64, can_overflow: bool) -> R<f64> {
    if r.is_nan() && !x.is_nan() {
        return raise(Exc::ValueError, "math domain error");
    }
    if r.is_infinite() && x.is_finite() {
        if can_overflow {
            return raise(Exc::OverflowError, "math range error");
        }
        return raise(Exc::ValueError, "math domain error");
    }
    Ok(r)
}

#[inline]
pub fn sqrt(x: f64) -> R<f64> {
    math1(x, x.sqrt(), false)
}
#[inline]
pub fn exp(x: f64) -> R<f64> {
    math1(x, x.exp(), true)
}
pub fn log(x: f64) -> R<f64> {
    if x.is_nan() {
        return Ok(x);
    }
    if x <= 0.0 {
        return raise(Exc::ValueError, "math domain error");
    }
    Ok(x.ln())
}

// ---------------------------------------------------------------------------
// min / max / sum, by Python's comparison loop
// ---------------------------------------------------------------------------

/// min(a, b): keeps a unless b < a (so NaN handling follows argument order).
#[inline]
pub fn min2<T: PartialOrd>(a: T, b: T) -> T {
    if b < a {
        b
    } else {
        a
    }
}
#[inline]
pub fn max2<T: PartialOrd>(a: T, b: T) -> T {
    if b > a {
        b
    } else {
        a
    }
}

/// Python's min/max loop over a sequence: the first item, replaced by any later item
/// that compares `better` (strictly), so NaN handling follows the order of the items.
fn best_seq<T: Clone>(xs: &[T], better: fn(&T, &T) -> bool, empty: &'static str) -> R<T> {
    let mut it = xs.iter();
    let mut best = match it.next() {
        Some(v) => v,
        None => return raise(Exc::ValueError, empty),
    };
    for v in it {
        if better(v, best) {
            best = v;
        }
    }
    Ok(best.clone())
}

pub fn min_seq<T: PartialOrd + Clone>(xs: &[T]) -> R<T> {
    best_seq(xs, |a, b| a < b, "min() arg is an empty sequence")
}

pub fn max_seq<T: PartialOrd + Clone>(xs: &[T]) -> R<T> {
    best_seq(xs, |a, b| a > b, "max() arg is an empty sequence")
}

/// sum() of a list of floats. Python starts from the int 0, so an empty list
/// sums to the int 0, which a float-typed result cannot be: that call falls back.
pub fn sum_f(xs: &[f64]) -> R<f64> {
    if xs.is_empty() {
        return fallback("sum() of an empty float list is the int 0");
    }
    Ok(sum_f_nonempty(xs))
}

#[inline]
fn sum_f_nonempty(xs: &[f64]) -> f64 {
    if crate::NEUMAIER_SUM {
        sum_f_neumaier(xs)
    } else {
        sum_f_plain(xs)
    }
}

#[inline]
fn sum_f_plain(xs: &[f64]) -> f64 {
    let mut acc = 0.0_f64;
    for &x in xs {
        acc += x;
    }
    acc
}

// Python 3.12 and later compensate the float sum (Neumaier).
#[inline]
fn sum_f_neumaier(xs: &[f64]) -> f64 {
    let mut f = 0.0_f64;
    let mut c = 0.0_f64;
    for &x in xs {
        let t = f + x;
        if f.abs() >= x.abs() {
            c += (f - t) + x;
        } else {
            c += (x - t) + f;
        }
        f = t;
    }
    if c != 0.0 && c.is_finite() {
        f += c;
    }
    f
}

pub fn sum_b(xs: &[bool]) -> i64 {
    xs.iter().filter(|b| **b).count() as i64
}

pub fn sum_i(xs: &[i64]) -> R<i64> {
    let mut acc = 0_i64;
    for &x in xs {
        acc = add_i(acc, x)?;
    }
    Ok(acc)
}

// ---------------------------------------------------------------------------
// Sequences
// ---------------------------------------------------------------------------

/// Normalise a Python index against a length, raising IndexError as Python does.
#[inline]
pub fn index(len: usize, i: i64, what: &'static str) -> R<usize> {
    let n = len as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return Err(RtErr::Index(IndexErr::Seq(what)));
    }
    Ok(j as usize)
}

#[inline]
pub fn get<T: Clone>(xs: &[T], i: i64) -> R<T> {
    let j = index(xs.len(), i, "list")?;
    // SAFETY: `index` returned 0 <= j < xs.len().
    Ok(unsafe { xs.get_unchecked(j) }.clone())
}

#[inline]
pub fn get_ref<T>(xs: &[T], i: i64) -> R<&T> {
    let j = index(xs.len(), i, "list")?;
    // SAFETY: as in `get`.
    Ok(unsafe { xs.get_unchecked(j) })
}

#[inline]
pub fn set<T>(xs: &mut [T], i: i64, v: T) -> R<()> {
    let j = index(xs.len(), i, "list assignment")?;
    xs[j] = v;
    Ok(())
}

#[inline]
pub fn get_mut<T>(xs: &mut [T], i: i64) -> R<&mut T> {
    let j = index(xs.len(), i, "list")?;
    Ok(&mut xs[j])
}

/// `xs.append(x)`. Vec::push keeps `x` live across its growth call, and LLVM then keeps a
/// loop's accumulator that is appended after the loop in a stack slot for the whole loop
/// (matmul's `acc`, a store and a load on every add); the slow path takes `x` along.
#[inline(always)]
pub fn push<T>(xs: &mut Vec<T>, x: T) {
    let len = xs.len();
    if len < xs.capacity() {
        // SAFETY: len < capacity, so slot len is allocated and unused; it is written
        // once before the length covers it.
        unsafe {
            std::ptr::write(xs.as_mut_ptr().add(len), x);
            xs.set_len(len + 1);
        }
    } else {
        push_grow(xs, x);
    }
}

#[cold]
#[inline(never)]
fn push_grow<T>(xs: &mut Vec<T>, x: T) {
    xs.push(x);
}

/// PySlice_AdjustIndices: the positions a slice selects, clamped as Python clamps.
pub fn slice_positions(len: usize, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> R<Vec<usize>> {
    let step = step.unwrap_or(1);
    if step == 0 {
        return raise(Exc::ValueError, "slice step cannot be zero");
    }
    let n = len as i64;
    let (lower, upper) = if step < 0 { (-1, n - 1) } else { (0, n) };
    let adjust = |v: Option<i64>, default: i64| -> i64 {
        match v {
            None => default,
            Some(mut x) => {
                if x < 0 {
                    x += n;
                    if x < lower {
                        x = lower;
                    }
                } else if x > upper {
                    x = upper;
                }
                x
            }
        }
    };
    let start = adjust(start, if step < 0 { upper } else { lower });
    let stop = adjust(stop, if step < 0 { lower } else { upper });
    let mut out = Vec::new();
    // i128: a step near i64::MAX must not wrap past the end.
    let (mut i, stop, step) = (start as i128, stop as i128, step as i128);
    if step > 0 {
        while i < stop {
            out.push(i as usize);
            i += step;
        }
    } else {
        while i > stop {
            out.push(i as usize);
            i += step;
        }
    }
    Ok(out)
}

pub fn slice<T: Clone>(xs: &[T], start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> R<Vec<T>> {
    if step.is_none() || step == Some(1) {
        let n = xs.len() as i64;
        let clamp = |v: Option<i64>, d: i64| -> usize {
            let x = match v {
                None => d,
                Some(x) if x < 0 => (x + n).max(0),
                Some(x) => x.min(n),
            };
            x as usize
        };
        let a = clamp(start, 0);
        let b = clamp(stop, n);
        return Ok(if a < b { xs[a..b].to_vec() } else { Vec::new() });
    }
    Ok(slice_positions(xs.len(), start, stop, step)?
        .into_iter()
        .map(|i| xs[i].clone())
        .collect())
}

/// [x, y] * n: n copies; n <= 0 gives an empty list.
pub fn repeat<T: Clone>(xs: &[T], n: i64) -> R<Vec<T>> {
    if n <= 0 {
        return Ok(Vec::new());
    }
    let total = (xs.len() as u128) * (n as u128);
    let mut out = Vec::new();
    if total > isize::MAX as u128 || out.try_reserve_exact(total as usize).is_err() {
        return raise(Exc::MemoryError, "");
    }
    for _ in 0..n {
        out.extend_from_slice(xs);
    }
    Ok(out)
}

pub fn concat<T: Clone>(a: &[T], b: &[T]) -> Vec<T> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    out.extend_from_slice(a);
    out.extend_from_slice(b);
    out
}

pub fn pop<T>(xs: &mut Vec<T>, i: Option<i64>) -> R<T> {
    if xs.is_empty() {
        return raise(Exc::IndexError, "pop from empty list");
    }
    match i {
        None => Ok(xs.pop().unwrap()),
        Some(i) => {
            let j = index(xs.len(), i, "pop")?;
            Ok(xs.remove(j))
        }
    }
}

/// range() with step 0 raises, as Python's does.
#[inline]
pub fn range_check(step: i64) -> R<()> {
    if step == 0 {
        return raise(Exc::ValueError, "range() arg 3 must not be zero");
    }
    Ok(())
}

/// How many ints range(start, stop, step) yields (up to 2**64, so an i128).
#[inline]
pub fn range_len(start: i64, stop: i64, step: i64) -> i128 {
    if step > 0 {
        if start >= stop {
            0
        } else {
            (stop as i128 - start as i128 - 1) / step as i128 + 1
        }
    } else if start <= stop {
        0
    } else {
        (start as i128 - stop as i128 - 1) / (-(step as i128)) + 1
    }
}

/// list.insert(i, x) clamps i the way CPython's ins1 does.
pub fn insert<T>(xs: &mut Vec<T>, i: i64, v: T) {
    let n = xs.len() as i64;
    let mut j = i;
    if j < 0 {
        j += n;
        if j < 0 {
            j = 0;
        }
    }
    if j > n {
        j = n;
    }
    xs.insert(j as usize, v);
}

/// range(start, stop, step) with any non-zero step, as an iterator.
pub struct PyRange {
    next: i64,
    step: i64,
    left: i128,
}

impl PyRange {
    pub fn new(start: i64, stop: i64, step: i64) -> R<PyRange> {
        range_check(step)?;
        Ok(PyRange { next: start, step, left: range_len(start, stop, step) })
    }

    /// reversed(range(start, stop, step)): the same ints, last first.
    pub fn reversed(start: i64, stop: i64, step: i64) -> R<PyRange> {
        range_check(step)?;
        let n = range_len(start, stop, step);
        if n == 0 {
            return Ok(PyRange { next: start, step: 1, left: 0 });
        }
        let last = (start as i128 + (n - 1) * step as i128) as i64;
        match step.checked_neg() {
            Some(neg) => Ok(PyRange { next: last, step: neg, left: n }),
            None => fallback("reversed range with step -2**63"),
        }
    }
}

impl Iterator for PyRange {
    type Item = i64;
    #[inline]
    fn next(&mut self) -> Option<i64> {
        if self.left <= 0 {
            return None;
        }
        let v = self.next;
        self.left -= 1;
        self.next = self.next.wrapping_add(self.step);
        Some(v)
    }
}

pub fn floor_i(x: f64) -> R<i64> {
    float_to_int(x.floor())
}
pub fn ceil_i(x: f64) -> R<i64> {
    float_to_int(x.ceil())
}
pub fn trunc_i(x: f64) -> R<i64> {
    float_to_int(x.trunc())
}

// ---------------------------------------------------------------------------
// Strings: indexed and measured by code point
// ---------------------------------------------------------------------------

#[inline]
pub fn str_len(s: &str) -> i64 {
    if s.is_ascii() {
        s.len() as i64
    } else {
        s.chars().count() as i64
    }
}

pub fn str_get(s: &str, i: i64) -> R<Str> {
    let n = str_len(s) as usize;
    let j = index(n, i, "string")?;
    if s.is_ascii() {
        return Ok(Str::from(&s[j..j + 1]));
    }
    Ok(str_of_char(s.chars().nth(j).unwrap()))
}

pub fn str_slice(s: &str, start: Option<i64>, stop: Option<i64>, step: Option<i64>) -> R<Str> {
    let chars: Vec<char> = s.chars().collect();
    let out: String = slice(&chars, start, stop, step)?.into_iter().collect();
    Ok(Str::from(out))
}

pub fn str_repeat(s: &str, n: i64) -> R<Str> {
    if n <= 0 {
        return Ok(Str::from(""));
    }
    // As CPython: a length (in characters) past the index range is an OverflowError,
    // a length that fits but cannot be allocated a MemoryError.
    if (str_len(s) as u128) * (n as u128) > isize::MAX as u128 {
        return raise(Exc::OverflowError, "repeated string is too long");
    }
    let total = (s.len() as u128) * (n as u128);
    let mut out = String::new();
    if total > isize::MAX as u128 || out.try_reserve_exact(total as usize).is_err() {
        return raise(Exc::MemoryError, "");
    }
    for _ in 0..n {
        out.push_str(s);
    }
    Ok(Str::from(out))
}

pub fn ord(s: &str) -> R<i64> {
    let mut it = s.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c as i64),
        _ => Err(RtErr::Raise(
            Exc::TypeError,
            format!("ord() expected a character, but string of length {} found", str_len(s)),
        )),
    }
}

pub fn chr(i: i64) -> R<Str> {
    // Past a C int, CPython before 3.13 raises OverflowError ahead of the range check,
    // 3.13 and later the range check's ValueError (gh-76763): Python itself says which.
    if i32::try_from(i).is_err() {
        return fallback("chr() of an int beyond a C int");
    }
    if !(0..=0x10FFFF).contains(&i) {
        return raise(Exc::ValueError, "chr() arg not in range(0x110000)");
    }
    match char::from_u32(i as u32) {
        Some(c) => Ok(str_of_char(c)),
        // Lone surrogates are valid Python strs but not Rust ones.
        None => fallback("chr() of a surrogate"),
    }
}

// ---------------------------------------------------------------------------
// Complex numbers, with CPython's arithmetic
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct C64 {
    pub re: f64,
    pub im: f64,
}

#[inline]
pub fn c_new(re: f64, im: f64) -> C64 {
    C64 { re, im }
}
#[inline]
pub fn c_add(a: C64, b: C64) -> C64 {
    C64 { re: a.re + b.re, im: a.im + b.im }
}
#[inline]
pub fn c_sub(a: C64, b: C64) -> C64 {
    C64 { re: a.re - b.re, im: a.im - b.im }
}
#[inline]
pub fn c_neg(a: C64) -> C64 {
    C64 { re: -a.re, im: -a.im }
}
#[inline]
pub fn c_mul(a: C64, b: C64) -> C64 {
    C64 { re: a.re * b.re - a.im * b.im, im: a.re * b.im + a.im * b.re }
}

/// CPython's _Py_c_quot (Smith's method with its special cases).
pub fn c_div(a: C64, b: C64) -> R<C64> {
    let abs_breal = b.re.abs();
    let abs_bimag = b.im.abs();
    if abs_breal >= abs_bimag {
        if abs_breal == 0.0 {
            return raise(Exc::ZeroDivisionError, "complex division by zero");
        }
        let ratio = b.im / b.re;
        let denom = b.re + b.im * ratio;
        Ok(C64 { re: (a.re + a.im * ratio) / denom, im: (a.im - a.re * ratio) / denom })
    } else if abs_bimag >= abs_breal {
        let ratio = b.re / b.im;
        let denom = b.re * ratio + b.im;
        Ok(C64 { re: (a.re * ratio + a.im) / denom, im: (a.im * ratio - a.re) / denom })
    } else {
        Ok(C64 { re: f64::NAN, im: f64::NAN })
    }
}

/// abs(z) is a hypot, and too large a result raises OverflowError.
pub fn c_abs(z: C64) -> R<f64> {
    if z.re.is_infinite() || z.im.is_infinite() {
        return Ok(f64::INFINITY);
    }
    if z.re.is_nan() || z.im.is_nan() {
        return Ok(f64::NAN);
    }
    let r = z.re.hypot(z.im);
    if r.is_infinite() {
        return raise(Exc::OverflowError, "absolute value too large");
    }
    Ok(r)
}

#[inline]
pub fn c_from_f(x: f64) -> C64 {
    C64 { re: x, im: 0.0 }
}

// ---------------------------------------------------------------------------
// Truthiness
// ---------------------------------------------------------------------------

pub trait Truthy {
    fn truthy(&self) -> bool;
}
impl Truthy for bool {
    #[inline]
    fn truthy(&self) -> bool {
        *self
    }
}
impl Truthy for i64 {
    #[inline]
    fn truthy(&self) -> bool {
        *self != 0
    }
}
impl Truthy for f64 {
    #[inline]
    fn truthy(&self) -> bool {
        *self != 0.0
    }
}
impl Truthy for Str {
    #[inline]
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl Truthy for C64 {
    #[inline]
    fn truthy(&self) -> bool {
        self.re != 0.0 || self.im != 0.0
    }
}
impl<T> Truthy for Vec<T> {
    #[inline]
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}
impl<K, V, S> Truthy for IndexMap<K, V, S> {
    #[inline]
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

// ---------------------------------------------------------------------------
// repr, for KeyError messages
// ---------------------------------------------------------------------------

pub trait PyRepr {
    fn py_repr(&self) -> String;
}
impl PyRepr for i64 {
    fn py_repr(&self) -> String {
        self.to_string()
    }
}
impl PyRepr for bool {
    fn py_repr(&self) -> String {
        if *self { "True" } else { "False" }.to_string()
    }
}
impl PyRepr for Str {
    /// A Python string literal that evaluates to this string: printable ASCII as is,
    /// everything else escaped (Python's own repr decides how it is shown).
    fn py_repr(&self) -> String {
        let mut out = String::with_capacity(self.len() + 2);
        out.push('\'');
        for c in self.chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\'' => out.push_str("\\'"),
                ' '..='~' => out.push(c),
                c if (c as u32) < 0x100 => out.push_str(&format!("\\x{:02x}", c as u32)),
                c if (c as u32) < 0x10000 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push_str(&format!("\\U{:08x}", c as u32)),
            }
        }
        out.push('\'');
        out
    }
}
macro_rules! tuple_repr {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: PyRepr),+> PyRepr for ($($name,)+) {
            fn py_repr(&self) -> String {
                let parts: Vec<String> = vec![$(self.$idx.py_repr()),+];
                if parts.len() == 1 {
                    format!("({},)", parts[0])
                } else {
                    format!("({})", parts.join(", "))
                }
            }
        }
    };
}
tuple_repr!(A 0);
tuple_repr!(A 0, B 1);
tuple_repr!(A 0, B 1, C 2);
tuple_repr!(A 0, B 1, C 2, D 3);

// ---------------------------------------------------------------------------
// Dicts: insertion-ordered
// ---------------------------------------------------------------------------

pub fn dict_get<K: Hash + Eq + PyRepr, V: Clone>(d: &Map<K, V>, k: &K) -> R<V> {
    match d.get(k) {
        Some(v) => Ok(v.clone()),
        None => key_error(k),
    }
}

pub fn dict_get_mut<'a, K: Hash + Eq + PyRepr, V>(d: &'a mut Map<K, V>, k: &K) -> R<&'a mut V> {
    if !d.contains_key(k) {
        return key_error(k);
    }
    Ok(d.get_mut(k).unwrap())
}

// ---------------------------------------------------------------------------
// Conversion at the boundary: strict, so that Rust never computes with a value of
// another Python type than the one it was built for (1 is not 1.0, True is not 1).
// `None` means "not convertible": the dispatcher falls back to Python.
// ---------------------------------------------------------------------------

pub trait FromPy: Sized {
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self>;

    /// The items of an exact list, converted; element types with a fast path read the
    /// list's item array directly instead of going through a Bound per item.
    fn from_py_list(list: &Bound<'_, PyList>) -> Option<Vec<Self>> {
        let mut out = Vec::with_capacity(list.len());
        for item in list.iter() {
            out.push(Self::from_py(&item)?);
        }
        Some(out)
    }
}

impl FromPy for f64 {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        ob.cast_exact::<PyFloat>().ok().map(|f| f.value())
    }

    fn from_py_list(list: &Bound<'_, PyList>) -> Option<Vec<f64>> {
        let n = list.len();
        let mut out: Vec<f64> = Vec::with_capacity(n);
        // SAFETY: the GIL is held and no Python code runs inside the loop, so the list
        // keeps its length and items; each item is a borrowed pointer read in place,
        // and only exact floats (no subclass) are read as doubles. The doubles go
        // straight into the reserved capacity, and the length is set once all n are.
        unsafe {
            let ptr = list.as_ptr();
            let dst = out.as_mut_ptr();
            for i in 0..n {
                let item = pyo3::ffi::PyList_GET_ITEM(ptr, i as pyo3::ffi::Py_ssize_t);
                if pyo3::ffi::PyFloat_CheckExact(item) == 0 {
                    return None;
                }
                dst.add(i).write(pyo3::ffi::PyFloat_AS_DOUBLE(item));
            }
            out.set_len(n);
        }
        Some(out)
    }
}
impl FromPy for i64 {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        let i = ob.cast_exact::<PyInt>().ok()?;
        i.extract::<i64>().ok()
    }

    fn from_py_list(list: &Bound<'_, PyList>) -> Option<Vec<i64>> {
        let n = list.len();
        let mut out: Vec<i64> = Vec::with_capacity(n);
        // SAFETY: as for f64. Only exact ints (never bool) are read; one that does not
        // fit in 64 bits sets an OverflowError, which is cleared: the call falls back.
        unsafe {
            let ptr = list.as_ptr();
            let dst = out.as_mut_ptr();
            for i in 0..n {
                let item = pyo3::ffi::PyList_GET_ITEM(ptr, i as pyo3::ffi::Py_ssize_t);
                if pyo3::ffi::PyLong_CheckExact(item) == 0 {
                    return None;
                }
                let v = pyo3::ffi::PyLong_AsLongLong(item);
                if v == -1 && !pyo3::ffi::PyErr_Occurred().is_null() {
                    pyo3::ffi::PyErr_Clear();
                    return None;
                }
                dst.add(i).write(v);
            }
            out.set_len(n);
        }
        Some(out)
    }
}
impl FromPy for bool {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        ob.cast_exact::<PyBool>().ok().map(|b| b.is_true())
    }
}
// Strings cross the boundary once per distinct object: within one call, `by_object` maps
// a Python str object (by address) to the Rust string made from it, so a list holding the
// same str a thousand times converts it once. The Rust string holds a reference to the
// object, so the address cannot be reused while the entry exists. The table is emptied
// when the call ends (keeping its capacity while it stays small).
#[derive(Default)]
struct StringTables {
    by_object: std::collections::HashMap<usize, Str, BuildHasherDefault<FxHasher>>,
}

thread_local! {
    static STRINGS: std::cell::RefCell<StringTables> = std::cell::RefCell::new(StringTables::default());
}

/// Empties the string table when a dispatcher call ends (also on panic).
pub struct CallScope;

impl CallScope {
    pub fn enter() -> CallScope {
        CallScope
    }
}

impl Drop for CallScope {
    fn drop(&mut self) {
        STRINGS.with(|t| {
            if let Ok(mut t) = t.try_borrow_mut() {
                if t.by_object.is_empty() {
                    return;
                }
                if t.by_object.capacity() > 4096 {
                    // One huge call should not make every later call clear a huge table.
                    t.by_object = Default::default();
                } else {
                    t.by_object.clear();
                }
            }
        });
    }
}

/// The Rust string of an exact str object, made once per object and call.
fn str_from_py(t: &mut StringTables, ob: &Bound<'_, PyAny>) -> Option<Str> {
    let py_str = ob.cast_exact::<PyString>().ok()?;
    let addr = ob.as_ptr() as usize;
    if let Some(s) = t.by_object.get(&addr) {
        return Some(s.clone());
    }
    let s: Str = Str::from(py_str.to_str().ok()?);
    let _ = s.0.obj.set(py_str.clone().unbind());
    t.by_object.insert(addr, s.clone());
    Some(s)
}

impl FromPy for Str {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        STRINGS.with(|t| str_from_py(&mut t.borrow_mut(), ob))
    }

    fn from_py_list(list: &Bound<'_, PyList>) -> Option<Vec<Str>> {
        // One borrow of the thread's table for the whole list, not one per item.
        STRINGS.with(|t| {
            let mut t = t.borrow_mut();
            let mut out = Vec::with_capacity(list.len());
            for item in list.iter() {
                out.push(str_from_py(&mut t, &item)?);
            }
            Some(out)
        })
    }
}
impl FromPy for C64 {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        let c = ob.cast_exact::<PyComplex>().ok()?;
        Some(C64 { re: c.real(), im: c.imag() })
    }
}
impl FromPy for () {
    #[inline]
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        if ob.is_none() {
            Some(())
        } else {
            None
        }
    }
}
impl<T: FromPy> FromPy for Vec<T> {
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        let l = ob.cast_exact::<PyList>().ok()?;
        T::from_py_list(l)
    }
}
impl<K: FromPy + Hash + Eq, V: FromPy> FromPy for Map<K, V> {
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        let d = ob.cast_exact::<PyDict>().ok()?;
        let mut out = Map::with_capacity_and_hasher(d.len(), Default::default());
        for (k, v) in d.iter() {
            out.insert(K::from_py(&k)?, V::from_py(&v)?);
        }
        Some(out)
    }
}
macro_rules! tuple_from_py {
    ($n:expr; $($name:ident $idx:tt),+) => {
        impl<$($name: FromPy),+> FromPy for ($($name,)+) {
            fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
                let t = ob.cast_exact::<PyTuple>().ok()?;
                if t.len() != $n {
                    return None;
                }
                Some(($($name::from_py(&t.get_item($idx).ok()?)?,)+))
            }
        }
    };
}
tuple_from_py!(1; A 0);
tuple_from_py!(2; A 0, B 1);
tuple_from_py!(3; A 0, B 1, C 2);
tuple_from_py!(4; A 0, B 1, C 2, D 3);

pub trait ToPy: Sized {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>>;

    /// A new Python list of the items; element types with a fast path fill the list's
    /// item array directly.
    fn list_to_py(items: &[Self], py: Python<'_>) -> PyResult<Py<PyAny>> {
        let mut err = None;
        let out = new_list_with(py, items.len(), |i| match items[i].to_py(py) {
            Ok(o) => o.into_ptr(),
            Err(e) => {
                err = Some(e);
                std::ptr::null_mut()
            }
        });
        match err {
            Some(e) => Err(e),
            None => out,
        }
    }
}

/// A new list of ``n`` items made by ``make`` (a new reference each, or null with an
/// exception set), filled in place.
fn new_list_with(
    py: Python<'_>,
    n: usize,
    mut make: impl FnMut(usize) -> *mut pyo3::ffi::PyObject,
) -> PyResult<Py<PyAny>> {
    // SAFETY: the GIL is held; PyList_SET_ITEM steals each new reference into a fresh
    // list whose slots are all set before it is handed out; on failure the list (and
    // the items set so far) is released.
    unsafe {
        let list = pyo3::ffi::PyList_New(n as pyo3::ffi::Py_ssize_t);
        if list.is_null() {
            return Err(PyErr::fetch(py));
        }
        for i in 0..n {
            let item = make(i);
            if item.is_null() {
                pyo3::ffi::Py_DECREF(list);
                return Err(PyErr::fetch(py));
            }
            pyo3::ffi::PyList_SET_ITEM(list, i as pyo3::ffi::Py_ssize_t, item);
        }
        Ok(Bound::from_owned_ptr(py, list).unbind())
    }
}
impl ToPy for f64 {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyFloat::new(py, *self).into_any().unbind())
    }

    fn list_to_py(items: &[f64], py: Python<'_>) -> PyResult<Py<PyAny>> {
        // SAFETY: PyFloat_FromDouble returns a new reference or null with an error set.
        new_list_with(py, items.len(), |i| unsafe { pyo3::ffi::PyFloat_FromDouble(items[i]) })
    }
}
impl ToPy for i64 {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(self.into_pyobject(py)?.into_any().unbind())
    }

    fn list_to_py(items: &[i64], py: Python<'_>) -> PyResult<Py<PyAny>> {
        // SAFETY: PyLong_FromLongLong returns a new reference or null with an error set.
        new_list_with(py, items.len(), |i| unsafe { pyo3::ffi::PyLong_FromLongLong(items[i]) })
    }
}
impl ToPy for bool {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyBool::new(py, *self).to_owned().into_any().unbind())
    }
}
impl ToPy for Str {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let obj = self.0.obj.get_or_init(|| PyString::new(py, self).unbind());
        Ok(obj.clone_ref(py).into_any())
    }
}
impl ToPy for C64 {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(PyComplex::from_doubles(py, self.re, self.im).into_any().unbind())
    }
}
impl ToPy for () {
    #[inline]
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(py.None())
    }
}
impl<T: ToPy> ToPy for Vec<T> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        T::list_to_py(self, py)
    }
}
impl<K: ToPy, V: ToPy, S> ToPy for IndexMap<K, V, S> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let d = PyDict::new(py);
        for (k, v) in self {
            let k = k.to_py(py)?;
            let v = v.to_py(py)?;
            // SAFETY: the GIL is held, both are valid new references (released on drop)
            // and the dict is a fresh exact dict: no Python code but the key's hash runs.
            if unsafe { pyo3::ffi::PyDict_SetItem(d.as_ptr(), k.as_ptr(), v.as_ptr()) } < 0 {
                return Err(PyErr::fetch(py));
            }
        }
        Ok(d.into_any().unbind())
    }
}
macro_rules! tuple_to_py {
    (@count $($idx:tt)+) => { 0 $(+ { let _ = $idx; 1 })+ };
    ($($name:ident $idx:tt),+) => {
        impl<$($name: ToPy),+> ToPy for ($($name,)+) {
            fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
                // Each item first (an error drops the ones made), then a tuple that
                // steals them: no intermediate Vec per tuple.
                let items = ($(self.$idx.to_py(py)?,)+);
                // SAFETY: the GIL is held; PyTuple_SET_ITEM steals each new reference
                // into a fresh tuple whose slots are all set before it is handed out.
                unsafe {
                    let t = pyo3::ffi::PyTuple_New(tuple_to_py!(@count $($idx)+));
                    if t.is_null() {
                        return Err(PyErr::fetch(py));
                    }
                    $(pyo3::ffi::PyTuple_SET_ITEM(t, $idx, items.$idx.into_ptr());)+
                    Ok(Bound::from_owned_ptr(py, t).unbind())
                }
            }
        }
    };
}
tuple_to_py!(A 0);
tuple_to_py!(A 0, B 1);
tuple_to_py!(A 0, B 1, C 2);
tuple_to_py!(A 0, B 1, C 2, D 3);

// ---------------------------------------------------------------------------
// Argument binding: positional, then keyword, then the default; anything Python
// would bind differently (unknown keywords, too many arguments) is not ours to
// decide, so the call falls back and Python raises its own TypeError.
// ---------------------------------------------------------------------------

pub struct Binder<'a, 'py> {
    pub args: &'a Bound<'py, PyTuple>,
    pub kwargs: Option<&'a Bound<'py, PyDict>>,
    pub names: &'static [&'static str],
}

impl<'a, 'py> Binder<'a, 'py> {
    /// True when every keyword names a parameter not already given positionally.
    pub fn keywords_ok(&self) -> bool {
        if self.args.len() > self.names.len() {
            return false;
        }
        match self.kwargs {
            None => true,
            Some(kw) => kw.iter().all(|(k, _)| match k.cast_exact::<PyString>() {
                Ok(s) => match s.to_str() {
                    Ok(name) => self
                        .names
                        .iter()
                        .position(|n| *n == name)
                        .map_or(false, |pos| pos >= self.args.len()),
                    Err(_) => false,
                },
                Err(_) => false,
            }),
        }
    }

    pub fn arg(&self, pos: usize) -> Option<Bound<'py, PyAny>> {
        if pos < self.args.len() {
            return self.args.get_item(pos).ok();
        }
        let kw = self.kwargs?;
        kw.get_item(self.names[pos]).ok().flatten()
    }
}

// -- arguments changed in place -------------------------------------------------

/// True when an argument the function changes in place is also reachable from another
/// argument: Python would see the change through both, the Rust copies would not.
pub fn aliased(objs: &[Option<Bound<'_, PyAny>>], mutated: &[usize]) -> bool {
    mutated.iter().any(|&i| match &objs[i] {
        Some(target) => objs
            .iter()
            .enumerate()
            .any(|(j, o)| j != i && o.as_ref().is_some_and(|o| reaches(o, target))),
        None => false,
    })
}

/// Whether `target` is `ob` or inside it. The arguments converted already, so their
/// nesting is as deep as their static types: this terminates.
fn reaches(ob: &Bound<'_, PyAny>, target: &Bound<'_, PyAny>) -> bool {
    if ob.is(target) {
        return true;
    }
    if let Ok(l) = ob.cast_exact::<PyList>() {
        return l.iter().any(|x| reaches(&x, target));
    }
    if let Ok(t) = ob.cast_exact::<PyTuple>() {
        return t.iter().any(|x| reaches(&x, target));
    }
    if let Ok(d) = ob.cast_exact::<PyDict>() {
        return d.iter().any(|(k, v)| reaches(&k, target) || reaches(&v, target));
    }
    false
}

/// Put a changed list's or dict's new contents into the caller's object, keeping its
/// identity (`xs[:] = new`, or `d.clear(); d.update(new)`).
pub fn write_back<T: ToPy>(py: Python<'_>, orig: &Bound<'_, PyAny>, value: &T) -> PyResult<()> {
    let new = value.to_py(py)?.into_bound(py);
    if let Ok(list) = orig.cast_exact::<PyList>() {
        let n = list.len();
        list.set_slice(0, n, &new)?;
    } else if let Ok(d) = orig.cast_exact::<PyDict>() {
        let new = new.cast_into::<PyDict>()?;
        d.clear();
        d.update(new.as_mapping())?;
    }
    Ok(())
}

// -- releasing the GIL ------------------------------------------------------------------

/// The estimated work (loop iterations) from which a dispatcher runs its call with the
/// GIL released: taking it back costs about 0.1 µs, under 1% of such a call.
pub const RELEASE_WORK: u64 = 10_000;

/// The elements of an argument, for the work estimate: rows times the first row's.
pub trait Work {
    fn work(&self) -> u64 {
        1
    }
}
impl Work for f64 {}
impl Work for i64 {}
impl Work for bool {}
impl Work for C64 {}
impl Work for () {}
impl<T: Work> Work for Vec<T> {
    fn work(&self) -> u64 {
        (self.len() as u64).saturating_mul(self.first().map_or(1, |x| x.work()))
    }
}
impl<K, V, S> Work for IndexMap<K, V, S> {
    fn work(&self) -> u64 {
        self.len() as u64
    }
}
impl<T, S> Work for indexmap::IndexSet<T, S> {
    fn work(&self) -> u64 {
        self.len() as u64
    }
}
macro_rules! tuple_work {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: Work),+> Work for ($($name,)+) {
            fn work(&self) -> u64 {
                0 $(+ self.$idx.work())+
            }
        }
    };
}
tuple_work!(A 0);
tuple_work!(A 0, B 1);
tuple_work!(A 0, B 1, C 2);
tuple_work!(A 0, B 1, C 2, D 3);

/// The elements of the sequence arguments together, saturating.
pub fn work_sum(sizes: &[u64]) -> u64 {
    sizes.iter().fold(0u64, |acc, &n| acc.saturating_add(n))
}

/// The product of the int arguments that bound loops (each at least 1), saturating.
pub fn work_product(counts: &[i64]) -> u64 {
    counts.iter().fold(1u64, |acc, &n| acc.saturating_mul(n.max(1) as u64))
}

// -- recursion ------------------------------------------------------------------------

/// How deep a translated function may call itself before the call falls back to
/// Python, which raises RecursionError where it would: a Rust stack never overflows.
pub const MAX_DEPTH: u32 = 500;

thread_local! {
    static DEPTH: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// One level of a recursive translated function (released on return, raise or panic).
pub struct Depth;

/// Stack a recursion level leaves free below it for the work it calls (conversions,
/// formatting, helpers): less than this and the call falls back to Python, whose calls
/// between Python functions take no C stack. A Python thread may have a small stack
/// (`threading.stack_size(32768)`), and overflowing it kills the process.
const STACK_RESERVE: usize = 64 * 1024;

thread_local! {
    static STACK_LOW: std::cell::Cell<usize> = const { std::cell::Cell::new(usize::MAX) };
}

/// The lowest address of this thread's stack (0 when unknown), looked up once per thread.
#[cfg(all(target_os = "linux", any(target_env = "gnu", target_env = "musl")))]
fn stack_low() -> usize {
    extern "C" {
        fn pthread_self() -> usize;
        fn pthread_getattr_np(thread: usize, attr: *mut u8) -> i32;
        fn pthread_attr_getstack(attr: *const u8, addr: *mut *mut u8, size: *mut usize) -> i32;
        fn pthread_attr_destroy(attr: *mut u8) -> i32;
    }
    STACK_LOW.with(|low| {
        if low.get() == usize::MAX {
            // pthread_attr_t is 56 or 64 bytes on the Linux targets: 128 leaves room.
            let mut attr = [0u64; 16];
            let attr = attr.as_mut_ptr() as *mut u8;
            let mut addr: *mut u8 = std::ptr::null_mut();
            let mut size: usize = 0;
            // SAFETY: attr is zeroed, aligned and big enough; it is destroyed only after
            // pthread_getattr_np initialised it.
            let found = unsafe {
                if pthread_getattr_np(pthread_self(), attr) != 0 {
                    0
                } else {
                    let ok = pthread_attr_getstack(attr, &mut addr, &mut size) == 0;
                    pthread_attr_destroy(attr);
                    if ok { addr as usize } else { 0 }
                }
            };
            low.set(found);
        }
        low.get()
    })
}

#[cfg(not(all(target_os = "linux", any(target_env = "gnu", target_env = "musl"))))]
fn stack_low() -> usize {
    0
}

impl Depth {
    pub fn enter() -> R<Depth> {
        let marker = 0u8;
        let here = std::hint::black_box(&marker) as *const u8 as usize;
        let low = stack_low();
        if low != 0 && here < low.saturating_add(STACK_RESERVE) {
            return Err(RtErr::Fallback("recursion near the end of the thread's stack"));
        }
        DEPTH.with(|d| {
            let n = d.get();
            if n >= MAX_DEPTH {
                return Err(RtErr::Fallback("recursion deeper than the Rust limit"));
            }
            d.set(n + 1);
            Ok(Depth)
        })
    }
}

impl Drop for Depth {
    fn drop(&mut self) {
        DEPTH.with(|d| d.set(d.get().saturating_sub(1)));
    }
}

// ---------------------------------------------------------------------------
// Sets of ints, strs, bools and tuples of those. The translator lets no code observe
// the iteration order (CPython's depends on hashes and, for str, on PYTHONHASHSEED),
// so an insertion-ordered set with the fast hasher is exact for everything else.
// ---------------------------------------------------------------------------

pub type Set<T> = indexmap::IndexSet<T, BuildHasherDefault<FxHasher>>;

impl<T, S> Truthy for indexmap::IndexSet<T, S> {
    #[inline]
    fn truthy(&self) -> bool {
        !self.is_empty()
    }
}

// Only an exact set converts: a frozenset (or a subclass) falls back to Python.
impl<T: FromPy + Hash + Eq> FromPy for Set<T> {
    fn from_py(ob: &Bound<'_, PyAny>) -> Option<Self> {
        let s = ob.cast_exact::<pyo3::types::PySet>().ok()?;
        let mut out = Set::with_capacity_and_hasher(s.len(), Default::default());
        for item in s.iter() {
            out.insert(T::from_py(&item)?);
        }
        Some(out)
    }
}

impl<T: ToPy, S> ToPy for indexmap::IndexSet<T, S> {
    fn to_py(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let s = pyo3::types::PySet::empty(py)?;
        for v in self {
            s.add(v.to_py(py)?)?;
        }
        Ok(s.into_any().unbind())
    }
}

/// set(iterable) of a list's items, in the list's order.
pub fn set_from<T: Hash + Eq + Clone>(xs: &[T]) -> Set<T> {
    let mut out = Set::with_capacity_and_hasher(xs.len(), Default::default());
    for x in xs {
        out.insert(x.clone());
    }
    out
}

/// set(s) of a str: its characters.
pub fn set_of_chars(s: &str) -> Set<Str> {
    s.chars().map(str_of_char).collect()
}

/// s.remove(x): KeyError carrying x when it is missing.
pub fn set_remove<T: Hash + Eq + PyRepr>(s: &mut Set<T>, x: &T) -> R<()> {
    if s.swap_remove(x) {
        Ok(())
    } else {
        key_error(x)
    }
}

pub fn set_union<T: Hash + Eq + Clone>(a: &Set<T>, b: &Set<T>) -> Set<T> {
    let mut out = a.clone();
    out.extend(b.iter().cloned());
    out
}

pub fn set_intersection<T: Hash + Eq + Clone>(a: &Set<T>, b: &Set<T>) -> Set<T> {
    let (small, big) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter(|x| big.contains(*x)).cloned().collect()
}

pub fn set_difference<T: Hash + Eq + Clone>(a: &Set<T>, b: &Set<T>) -> Set<T> {
    a.iter().filter(|x| !b.contains(*x)).cloned().collect()
}

pub fn set_symmetric_difference<T: Hash + Eq + Clone>(a: &Set<T>, b: &Set<T>) -> Set<T> {
    let mut out = set_difference(a, b);
    out.extend(b.iter().filter(|x| !a.contains(*x)).cloned());
    out
}

pub fn set_intersection_update<T: Hash + Eq>(s: &mut Set<T>, other: &Set<T>) {
    s.retain(|x| other.contains(x));
}

pub fn set_difference_update<T: Hash + Eq>(s: &mut Set<T>, other: &Set<T>) {
    for x in other {
        s.swap_remove(x);
    }
}

pub fn set_symmetric_difference_update<T: Hash + Eq + Clone>(s: &mut Set<T>, other: &Set<T>) {
    for x in other {
        if !s.swap_remove(x) {
            s.insert(x.clone());
        }
    }
}

/// a <= b, a < b, ... between sets: subset order, as Python compares sets.
pub fn set_cmp<T: Hash + Eq>(a: &Set<T>, op: &str, b: &Set<T>) -> bool {
    match op {
        "<=" => a.is_subset(b),
        "<" => a.len() < b.len() && a.is_subset(b),
        ">=" => b.is_subset(a),
        ">" => b.len() < a.len() && b.is_subset(a),
        "==" => a.len() == b.len() && a.is_subset(b),
        _ => !(a.len() == b.len() && a.is_subset(b)),
    }
}

// min/max/sum/sorted of a set do not depend on its order: the items are distinct and
// totally ordered (no floats), and int sums are exact (an overflow falls back).
pub fn set_min<T: Ord + Clone>(s: &Set<T>) -> R<T> {
    match s.iter().min() {
        Some(v) => Ok(v.clone()),
        None => raise(Exc::ValueError, "min() arg is an empty sequence"),
    }
}

pub fn set_max<T: Ord + Clone>(s: &Set<T>) -> R<T> {
    match s.iter().max() {
        Some(v) => Ok(v.clone()),
        None => raise(Exc::ValueError, "max() arg is an empty sequence"),
    }
}

pub fn set_sum_i(s: &Set<i64>) -> R<i64> {
    let mut acc = 0_i64;
    for &x in s {
        acc = add_i(acc, x)?;
    }
    Ok(acc)
}

pub fn set_sum_b(s: &Set<bool>) -> i64 {
    s.iter().filter(|b| **b).count() as i64
}

pub fn set_sorted<T: Ord + Clone>(s: &Set<T>) -> Vec<T> {
    let mut out: Vec<T> = s.iter().cloned().collect();
    out.sort_unstable();
    out
}
