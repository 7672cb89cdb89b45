
// ---------------------------------------------------------------------------
// The math module beyond the one-argument functions (mathlib.py): ports of CPython's
// Modules/mathmodule.c, operation for operation, so that every result has the same
// bits and every error the same type and message. libm calls (atan2, pow, fmod, log,
// sqrt) go to the same C library CPython calls. Where the algorithm changed between
// versions (vector_norm, behind hypot and dist), crate::PY_MINOR picks the port.
// ---------------------------------------------------------------------------

const DOMAIN: &str = "math domain error";
const RANGE: &str = "math range error";

/// CPython's is_error() after a libm call that set errno: EDOM is a ValueError; ERANGE
/// an OverflowError unless the result is small (an underflow, which is not an error).
#[inline]
fn math_errno(r: f64, edom: bool, erange: bool) -> R<f64> {
    if edom {
        return raise(Exc::ValueError, DOMAIN);
    }
    if erange && r.abs() >= 1.5 {
        return raise(Exc::OverflowError, RANGE);
    }
    Ok(r)
}

/// math_2: a NaN from non-NaN arguments is a domain error, an infinity from finite ones
/// a range error.
#[inline]
fn math_2(x: f64, y: f64, r: f64) -> R<f64> {
    let edom = r.is_nan() && !x.is_nan() && !y.is_nan();
    let erange = r.is_infinite() && x.is_finite() && y.is_finite();
    math_errno(r, edom, erange)
}

/// math.atan2(y, x): m_atan2 settles the special values itself, then libm.
pub fn math_atan2(y: f64, x: f64) -> R<f64> {
    use std::f64::consts::PI;
    let r = if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if y.is_infinite() {
        if x.is_infinite() {
            if 1.0_f64.copysign(x) == 1.0 {
                (0.25 * PI).copysign(y)
            } else {
                (0.75 * PI).copysign(y)
            }
        } else {
            (0.5 * PI).copysign(y)
        }
    } else if x.is_infinite() || y == 0.0 {
        if 1.0_f64.copysign(x) == 1.0 {
            0.0_f64.copysign(y)
        } else {
            PI.copysign(y)
        }
    } else {
        y.atan2(x)
    };
    math_2(y, x, r)
}

/// math.fmod(x, y): C's fmod (exact, the sign of x), with fmod(x, ±inf) = x for finite x.
pub fn math_fmod(x: f64, y: f64) -> R<f64> {
    if y.is_infinite() && x.is_finite() {
        return Ok(x);
    }
    let r = x % y;
    math_errno(r, r.is_nan() && !x.is_nan() && !y.is_nan(), false)
}

/// math.pow(x, y): math_pow_impl, IEEE special values first, then libm for finite
/// operands; unlike `**` it never returns a complex number, and 0.0 ** -1 is a
/// ValueError here, not a ZeroDivisionError.
pub fn math_pow(x: f64, y: f64) -> R<f64> {
    if !x.is_finite() || !y.is_finite() {
        let r = if x.is_nan() {
            if y == 0.0 {
                1.0
            } else {
                x
            }
        } else if y.is_nan() {
            if x == 1.0 {
                1.0
            } else {
                y
            }
        } else if x.is_infinite() {
            let odd_y = y.is_finite() && (y.abs() % 2.0) == 1.0;
            if y > 0.0 {
                if odd_y {
                    x
                } else {
                    x.abs()
                }
            } else if y == 0.0 {
                1.0
            } else if odd_y {
                0.0_f64.copysign(x)
            } else {
                0.0
            }
        } else if x.abs() == 1.0 {
            1.0
        } else if y > 0.0 && x.abs() > 1.0 {
            y
        } else if y < 0.0 && x.abs() < 1.0 {
            -y
        } else {
            0.0
        };
        return Ok(r);
    }
    let r = libm_pow(x, y);
    if r.is_nan() {
        return math_errno(r, true, false);
    }
    if r.is_infinite() {
        return math_errno(r, x == 0.0, x != 0.0);
    }
    Ok(r)
}

/// libm's pow, always called: LLVM rewrites pow(x, 2.0) as x * x and pow(x, -1.0) as
/// 1.0 / x once it sees a constant exponent, and glibc's pow rounds those differently
/// now and then (about 1 in 1000 random x); opaque operands keep the call.
#[inline]
pub fn libm_pow(x: f64, y: f64) -> f64 {
    std::hint::black_box(x).powf(std::hint::black_box(y))
}

/// math.log(x, base): loghelper(x) / loghelper(base), a float division (so a base of 1
/// raises ZeroDivisionError), x's errors first.
pub fn math_log_base(x: f64, base: f64) -> R<f64> {
    let num = log(x)?;
    let den = log(base)?;
    if den == 0.0 {
        return raise(Exc::ZeroDivisionError, "float division by zero");
    }
    Ok(num / den)
}

/// math.radians and math.degrees multiply by a constant rounded once, as C folds
/// `Py_MATH_PI / 180.0` (Rust's to_degrees uses a differently rounded constant).
const DEG_TO_RAD: f64 = std::f64::consts::PI / 180.0;
const RAD_TO_DEG: f64 = 180.0 / std::f64::consts::PI;

#[inline]
pub fn math_radians(x: f64) -> f64 {
    x * DEG_TO_RAD
}

#[inline]
pub fn math_degrees(x: f64) -> f64 {
    x * RAD_TO_DEG
}

/// math.isclose: math_isclose_impl, Boost's "weak" test.
pub fn math_isclose(a: f64, b: f64, rel_tol: f64, abs_tol: f64) -> R<bool> {
    if rel_tol < 0.0 || abs_tol < 0.0 {
        return raise(Exc::ValueError, "tolerances must be non-negative");
    }
    if a == b {
        return Ok(true);
    }
    if a.is_infinite() || b.is_infinite() {
        return Ok(false);
    }
    let diff = (b - a).abs();
    Ok(diff <= (rel_tol * b).abs() || diff <= (rel_tol * a).abs() || diff <= abs_tol)
}

// -- integers: exact results, or the call falls back when one leaves i64 ------------

const MATH_OVERFLOW: &str = "math function result does not fit in 64 bits";

/// math.gcd(*integers): always non-negative; gcd() is 0.
pub fn math_gcd(xs: &[i64]) -> R<i64> {
    let mut g: u64 = 0;
    for &x in xs {
        let mut a = g;
        let mut b = x.unsigned_abs();
        while b != 0 {
            let t = a % b;
            a = b;
            b = t;
        }
        g = a;
    }
    if g > i64::MAX as u64 {
        return fallback(MATH_OVERFLOW);
    }
    Ok(g as i64)
}

/// math.factorial(n); 20! is the largest that fits in i64.
pub fn math_factorial(n: i64) -> R<i64> {
    if n < 0 {
        return raise(Exc::ValueError, "factorial() not defined for negative values");
    }
    let mut acc: i64 = 1;
    for i in 2..=n {
        acc = match acc.checked_mul(i) {
            Some(v) => v,
            None => return fallback(MATH_OVERFLOW),
        };
    }
    Ok(acc)
}

fn perm_comb_args(n: i64, k: i64) -> R<()> {
    if n < 0 {
        return raise(Exc::ValueError, "n must be a non-negative integer");
    }
    if k < 0 {
        return raise(Exc::ValueError, "k must be a non-negative integer");
    }
    Ok(())
}

/// math.comb(n, k): C(n, k) by C(n, i) = C(n, i-1) * (n-i+1) / i, each step exact; a
/// value beyond i64 at any step means the result (which is at least as large, as the
/// loop runs over the smaller of k and n-k) needs Python's ints.
pub fn math_comb(n: i64, k: i64) -> R<i64> {
    perm_comb_args(n, k)?;
    if k > n {
        return Ok(0);
    }
    let k = k.min(n - k);
    let mut acc: i128 = 1;
    for i in 1..=k as i128 {
        acc = acc * (n as i128 - i + 1) / i;
        if acc > i64::MAX as i128 {
            return fallback(MATH_OVERFLOW);
        }
    }
    Ok(acc as i64)
}

/// math.perm(n, k): n * (n-1) * ... * (n-k+1).
pub fn math_perm(n: i64, k: i64) -> R<i64> {
    perm_comb_args(n, k)?;
    if k > n {
        return Ok(0);
    }
    let mut acc: i64 = 1;
    for i in 0..k {
        acc = match acc.checked_mul(n - i) {
            Some(v) => v,
            None => return fallback(MATH_OVERFLOW),
        };
    }
    Ok(acc)
}

/// math.prod of ints: the product of nothing is 1.
pub fn math_prod_i(xs: &[i64]) -> R<i64> {
    let mut acc: i64 = 1;
    for &x in xs {
        acc = match acc.checked_mul(x) {
            Some(v) => v,
            None => return fallback(MATH_OVERFLOW),
        };
    }
    Ok(acc)
}

/// math.prod of floats: the int 1 times each in turn (1 * x is x exactly), left to right.
/// The product of no floats is the int 1, which a float result cannot be: that call
/// falls back.
pub fn math_prod_f(xs: &[f64]) -> R<f64> {
    if xs.is_empty() {
        return fallback("math.prod() of an empty float list is the int 1");
    }
    let mut acc = xs[0];
    for &x in &xs[1..] {
        acc *= x;
    }
    Ok(acc)
}

/// float(i) for each int of a list, as math's ASSIGN_DOUBLE reads them.
pub fn floats_of_ints(xs: &[i64]) -> Vec<f64> {
    xs.iter().map(|&x| i2f(x)).collect()
}

// -- fsum: Shewchuk's exact partials, then one correctly rounded result ---------------

/// math.fsum, one element at a time (math_fsum's loop body), so that a generator's
/// elements are summed as Python evaluates them.
pub struct MathFsum {
    p: Vec<f64>,
    special_sum: f64,
    inf_sum: f64,
}

impl MathFsum {
    pub fn new() -> MathFsum {
        MathFsum { p: Vec::new(), special_sum: 0.0, inf_sum: 0.0 }
    }

    pub fn add(&mut self, xsave: f64) -> R<()> {
        let mut x = xsave;
        let mut i = 0;
        for j in 0..self.p.len() {
            let mut y = self.p[j];
            if x.abs() < y.abs() {
                std::mem::swap(&mut x, &mut y);
            }
            let hi = x + y;
            let yr = hi - x;
            let lo = y - yr;
            if lo != 0.0 {
                self.p[i] = lo;
                i += 1;
            }
            x = hi;
        }
        self.p.truncate(i);
        if x != 0.0 {
            if !x.is_finite() {
                // Either the partial sums overflowed, or a summand is an inf or a NaN.
                if xsave.is_finite() {
                    return raise(Exc::OverflowError, "intermediate overflow in fsum");
                }
                if xsave.is_infinite() {
                    self.inf_sum += xsave;
                }
                self.special_sum += xsave;
                self.p.clear();
            } else {
                self.p.push(x);
            }
        }
        Ok(())
    }

    pub fn finish(self) -> R<f64> {
        if self.special_sum != 0.0 {
            if self.inf_sum.is_nan() {
                return raise(Exc::ValueError, "-inf + inf in fsum");
            }
            return Ok(self.special_sum);
        }
        let p = &self.p;
        let mut n = p.len();
        let mut hi = 0.0_f64;
        let mut lo = 0.0_f64;
        if n > 0 {
            n -= 1;
            hi = p[n];
            // sum_exact from the top, stopping when the sum becomes inexact.
            while n > 0 {
                let x = hi;
                n -= 1;
                let y = p[n];
                hi = x + y;
                let yr = hi - x;
                lo = y - yr;
                if lo != 0.0 {
                    break;
                }
            }
            // Half-even rounding across several partials: a 1 ulp fix-up.
            if n > 0 && ((lo < 0.0 && p[n - 1] < 0.0) || (lo > 0.0 && p[n - 1] > 0.0)) {
                let y = lo * 2.0;
                let x = hi + y;
                let yr = x - hi;
                if y == yr {
                    hi = x;
                }
            }
        }
        Ok(hi)
    }
}

pub fn math_fsum(xs: &[f64]) -> R<f64> {
    let mut s = MathFsum::new();
    for &x in xs {
        s.add(x)?;
    }
    s.finish()
}

// -- hypot and dist: vector_norm ---------------------------------------------------

/// The exponent frexp() gives a positive finite x (x = m * 2**e, 0.5 <= m < 1).
fn frexp_exp(x: f64) -> i32 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    if biased == 0 {
        // Subnormal: its leading bit sets the exponent.
        let mant = bits & ((1_u64 << 52) - 1);
        return -1022 - (mant.leading_zeros() as i32 - 12);
    }
    biased - 1022
}

/// ldexp(1.0, e), exactly, for e in the range vector_norm asks for (subnormals included).
fn pow2(e: i32) -> f64 {
    if e >= -1022 {
        f64::from_bits(((e + 1023) as u64) << 52)
    } else {
        f64::from_bits(1_u64 << (e + 1074))
    }
}

/// hypot's and dist's norm of |coordinates| (vec holds absolute values; max the largest,
/// found_nan whether one is a NaN).
fn vector_norm(vec: &mut [f64], max: f64, found_nan: bool) -> f64 {
    if max.is_infinite() {
        return max;
    }
    if found_nan {
        return f64::NAN;
    }
    if max == 0.0 || vec.len() <= 1 {
        return max;
    }
    if crate::PY_MINOR >= 12 {
        vector_norm_312(vec, max)
    } else {
        vector_norm_310(vec, max)
    }
}

/// Python 3.10 and 3.11: Veltkamp-Dekker splitting, three fraction accumulators, and a
/// differential correction; tiny vectors are divided by max instead of scaled.
fn vector_norm_310(vec: &[f64], max: f64) -> f64 {
    const T27: f64 = 134217729.0; // ldexp(1.0, 27) + 1.0
    let mut csum = 1.0_f64;
    let mut frac1 = 0.0_f64;
    let mut frac2 = 0.0_f64;
    let mut frac3 = 0.0_f64;
    let max_e = frexp_exp(max);
    if max_e >= -1023 {
        let scale = pow2(-max_e);
        for &v in vec {
            let mut x = v * scale;
            let t = x * T27;
            let hi = t - (t - x);
            let lo = x - hi;

            x = hi * hi;
            let mut oldcsum = csum;
            csum += x;
            frac1 += (oldcsum - csum) + x;

            x = 2.0 * hi * lo;
            oldcsum = csum;
            csum += x;
            frac2 += (oldcsum - csum) + x;

            frac3 += lo * lo;
        }
        let h = (csum - 1.0 + (frac1 + frac2 + frac3)).sqrt();

        let mut x = h;
        let t = x * T27;
        let hi = t - (t - x);
        let lo = x - hi;

        x = -hi * hi;
        let mut oldcsum = csum;
        csum += x;
        frac1 += (oldcsum - csum) + x;

        x = -2.0 * hi * lo;
        oldcsum = csum;
        csum += x;
        frac2 += (oldcsum - csum) + x;

        x = -lo * lo;
        oldcsum = csum;
        csum += x;
        frac3 += (oldcsum - csum) + x;

        x = csum - 1.0 + (frac1 + frac2 + frac3);
        return (h + x / (2.0 * h)) / scale;
    }
    for &v in vec {
        let mut x = v / max;
        x = x * x;
        let oldcsum = csum;
        csum += x;
        frac1 += (oldcsum - csum) + x;
    }
    max * (csum - 1.0 + frac1).sqrt()
}

/// Python 3.12 and later: squares made exact with fma (dl_mul), Neumaier sums with two
/// accumulators, the correction computed the same way; tiny vectors are lifted into
/// the normal range and recomputed.
fn vector_norm_312(vec: &mut [f64], max: f64) -> f64 {
    let max_e = frexp_exp(max);
    if max_e < -1023 {
        for v in vec.iter_mut() {
            *v /= f64::MIN_POSITIVE;
        }
        return f64::MIN_POSITIVE * vector_norm(vec, max / f64::MIN_POSITIVE, false);
    }
    let scale = pow2(-max_e);
    let mut csum = 1.0_f64;
    let mut frac1 = 0.0_f64;
    let mut frac2 = 0.0_f64;
    for &v in vec.iter() {
        let x = v * scale;
        let (pr_hi, pr_lo) = dl_mul(x, x);
        let (sm_hi, sm_lo) = dl_fast_sum(csum, pr_hi);
        csum = sm_hi;
        frac1 += pr_lo;
        frac2 += sm_lo;
    }
    let mut h = (csum - 1.0 + (frac1 + frac2)).sqrt();
    let (pr_hi, pr_lo) = dl_mul(-h, h);
    let (sm_hi, sm_lo) = dl_fast_sum(csum, pr_hi);
    csum = sm_hi;
    frac1 += pr_lo;
    frac2 += sm_lo;
    let x = csum - 1.0 + (frac1 + frac2);
    h += x / (2.0 * h);
    h / scale
}

#[inline]
fn dl_fast_sum(a: f64, b: f64) -> (f64, f64) {
    let x = a + b;
    (x, (a - x) + b)
}

/// The product and its rounding error; mul_add is fma, one rounding as C's fma().
#[inline]
fn dl_mul(x: f64, y: f64) -> (f64, f64) {
    let z = x * y;
    (z, x.mul_add(y, -z))
}

/// Room for the |coordinates| of a norm: on the stack up to 16 of them (as CPython's
/// NUM_STACK_ELEMS), so that hypot(x, y) in a loop allocates nothing.
fn norm_buffer<'a>(n: usize, stack: &'a mut [f64; 16], heap: &'a mut Vec<f64>) -> &'a mut [f64] {
    if n <= stack.len() {
        &mut stack[..n]
    } else {
        heap.resize(n, 0.0);
        &mut heap[..]
    }
}

/// math.hypot(*coordinates).
pub fn math_hypot(coords: &[f64]) -> f64 {
    let (mut stack, mut heap) = ([0.0_f64; 16], Vec::new());
    let vec = norm_buffer(coords.len(), &mut stack, &mut heap);
    let mut max = 0.0_f64;
    let mut found_nan = false;
    for (slot, &c) in vec.iter_mut().zip(coords) {
        let x = c.abs();
        *slot = x;
        found_nan |= x.is_nan();
        if x > max {
            max = x;
        }
    }
    vector_norm(vec, max, found_nan)
}

/// math.dist(p, q).
pub fn math_dist(p: &[f64], q: &[f64]) -> R<f64> {
    if p.len() != q.len() {
        return raise(Exc::ValueError, "both points must have the same number of dimensions");
    }
    let (mut stack, mut heap) = ([0.0_f64; 16], Vec::new());
    let vec = norm_buffer(p.len(), &mut stack, &mut heap);
    let mut max = 0.0_f64;
    let mut found_nan = false;
    for ((slot, &a), &b) in vec.iter_mut().zip(p).zip(q) {
        let x = (a - b).abs();
        *slot = x;
        found_nan |= x.is_nan();
        if x > max {
            max = x;
        }
    }
    Ok(vector_norm(vec, max, found_nan))
}
