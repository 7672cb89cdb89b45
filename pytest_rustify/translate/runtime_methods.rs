
// ---------------------------------------------------------------------------
// str, list and dict methods and the consuming builtins (methods.py), with Python's
// exact results and messages. Where Rust's Unicode tables could differ from the running
// interpreter's (case mapping, character classes outside ASCII), the call falls back.
// ---------------------------------------------------------------------------

/// Py_UNICODE_ISSPACE: Python's whitespace (split(), strip(), isspace()); this set has
/// not changed since Unicode 6.3, so it is the same for every supported Python.
#[inline]
pub fn py_isspace(c: char) -> bool {
    match c {
        '\t' | '\n' | '\x0b' | '\x0c' | '\r' | '\x1c'..='\x1f' | ' ' => true,
        c if (c as u32) < 0x85 => false,
        '\u{85}' | '\u{a0}' | '\u{1680}' | '\u{2000}'..='\u{200a}' => true,
        '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' => true,
        _ => false,
    }
}

const NOT_ASCII: &str = "a str method on non-ASCII text (Unicode tables may differ)";

fn strs(parts: Vec<&str>) -> Vec<Str> {
    parts.into_iter().map(Str::from).collect()
}

/// str.split() with no separator: runs of whitespace, ends ignored (stringlib's
/// split_whitespace, maxsplit < 0 meaning no limit).
pub fn str_split_ws(s: &str, maxsplit: i64) -> Vec<Str> {
    let mut left = if maxsplit < 0 { u64::MAX } else { maxsplit as u64 };
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_start_matches(py_isspace);
        if rest.is_empty() {
            break;
        }
        if left == 0 {
            out.push(Str::from(rest));
            break;
        }
        left -= 1;
        match rest.find(py_isspace) {
            Some(end) => {
                out.push(Str::from(&rest[..end]));
                rest = &rest[end..];
            }
            None => {
                out.push(Str::from(rest));
                break;
            }
        }
    }
    out
}

/// str.rsplit() with no separator.
pub fn str_rsplit_ws(s: &str, maxsplit: i64) -> Vec<Str> {
    let mut left = if maxsplit < 0 { u64::MAX } else { maxsplit as u64 };
    let mut out = Vec::new();
    let mut rest = s;
    loop {
        rest = rest.trim_end_matches(py_isspace);
        if rest.is_empty() {
            break;
        }
        if left == 0 {
            out.push(Str::from(rest));
            break;
        }
        left -= 1;
        match rest.rfind(py_isspace) {
            Some(start) => {
                let c = rest[start..].chars().next().unwrap();
                out.push(Str::from(&rest[start + c.len_utf8()..]));
                rest = &rest[..start];
            }
            None => {
                out.push(Str::from(rest));
                break;
            }
        }
    }
    out.reverse();
    out
}

fn split_count(maxsplit: i64) -> usize {
    if maxsplit < 0 || maxsplit as u64 >= usize::MAX as u64 {
        usize::MAX
    } else {
        maxsplit as usize + 1
    }
}

pub fn str_split(s: &str, sep: &str, maxsplit: i64) -> R<Vec<Str>> {
    if sep.is_empty() {
        return raise(Exc::ValueError, "empty separator");
    }
    Ok(strs(s.splitn(split_count(maxsplit), sep).collect()))
}

pub fn str_rsplit(s: &str, sep: &str, maxsplit: i64) -> R<Vec<Str>> {
    if sep.is_empty() {
        return raise(Exc::ValueError, "empty separator");
    }
    let mut parts: Vec<&str> = s.rsplitn(split_count(maxsplit), sep).collect();
    parts.reverse();
    Ok(strs(parts))
}

/// str.splitlines(): Python's line boundaries, \r\n counting as one.
pub fn str_splitlines(s: &str) -> Vec<Str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut it = s.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let is_break = matches!(
            c,
            '\n' | '\r' | '\x0b' | '\x0c' | '\x1c' | '\x1d' | '\x1e' | '\u{85}' | '\u{2028}' | '\u{2029}'
        );
        if is_break {
            out.push(Str::from(&s[start..i]));
            let mut end = i + c.len_utf8();
            if c == '\r' {
                if let Some(&(j, '\n')) = it.peek() {
                    it.next();
                    end = j + 1;
                }
            }
            start = end;
        }
    }
    if start < s.len() {
        out.push(Str::from(&s[start..]));
    }
    out
}

/// strip/lstrip/rstrip: mode 0 both ends, 1 left, 2 right.
pub fn str_strip_ws(s: &str, mode: u8) -> Str {
    Str::from(match mode {
        0 => s.trim_matches(py_isspace),
        1 => s.trim_start_matches(py_isspace),
        _ => s.trim_end_matches(py_isspace),
    })
}

pub fn str_strip_chars(s: &str, chars: &str, mode: u8) -> Str {
    let set = |c: char| chars.contains(c);
    Str::from(match mode {
        0 => s.trim_matches(set),
        1 => s.trim_start_matches(set),
        _ => s.trim_end_matches(set),
    })
}

pub fn str_lower(s: &str) -> R<Str> {
    if !s.is_ascii() {
        return fallback(NOT_ASCII);
    }
    Ok(Str::from(s.to_ascii_lowercase()))
}

pub fn str_upper(s: &str) -> R<Str> {
    if !s.is_ascii() {
        return fallback(NOT_ASCII);
    }
    Ok(Str::from(s.to_ascii_uppercase()))
}

/// The character-class predicates: ASCII decided here, anything else by Python.
pub fn str_is(s: &str, what: &str) -> R<bool> {
    if what == "isspace" {
        return Ok(!s.is_empty() && s.chars().all(py_isspace));
    }
    if what == "isascii" {
        return Ok(s.is_ascii());
    }
    if !s.is_ascii() {
        return fallback(NOT_ASCII);
    }
    let b = s.as_bytes();
    Ok(match what {
        "isalpha" => !b.is_empty() && b.iter().all(|c| c.is_ascii_alphabetic()),
        "isdigit" | "isdecimal" | "isnumeric" => !b.is_empty() && b.iter().all(|c| c.is_ascii_digit()),
        "isalnum" => !b.is_empty() && b.iter().all(|c| c.is_ascii_alphanumeric()),
        "isupper" => b.iter().any(|c| c.is_ascii_uppercase()) && !b.iter().any(|c| c.is_ascii_lowercase()),
        "islower" => b.iter().any(|c| c.is_ascii_lowercase()) && !b.iter().any(|c| c.is_ascii_uppercase()),
        _ => unreachable!("str predicate {}", what),
    })
}

#[inline]
fn char_pos(s: &str, byte: usize) -> i64 {
    let head = &s[..byte];
    if head.is_ascii() {
        byte as i64
    } else {
        head.chars().count() as i64
    }
}

pub fn str_find(s: &str, sub: &str) -> i64 {
    s.find(sub).map_or(-1, |b| char_pos(s, b))
}

pub fn str_rfind(s: &str, sub: &str) -> i64 {
    s.rfind(sub).map_or(-1, |b| char_pos(s, b))
}

pub fn str_index(s: &str, sub: &str) -> R<i64> {
    match s.find(sub) {
        Some(b) => Ok(char_pos(s, b)),
        None => raise(Exc::ValueError, "substring not found"),
    }
}

pub fn str_rindex(s: &str, sub: &str) -> R<i64> {
    match s.rfind(sub) {
        Some(b) => Ok(char_pos(s, b)),
        None => raise(Exc::ValueError, "substring not found"),
    }
}

/// str.count: non-overlapping, left to right; the empty string occurs len + 1 times.
pub fn str_count(s: &str, sub: &str) -> i64 {
    s.matches(sub).count() as i64
}

pub fn str_replace(s: &str, old: &str, new: &str, count: i64) -> Str {
    if count < 0 {
        Str::from(s.replace(old, new))
    } else {
        Str::from(s.replacen(old, new, usize::try_from(count).unwrap_or(usize::MAX)))
    }
}

pub fn str_join(sep: &str, items: &[Str]) -> Str {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(item);
    }
    Str::from(out)
}

#[inline]
pub fn str_startswith(s: &str, p: &str) -> bool {
    s.starts_with(p)
}

#[inline]
pub fn str_endswith(s: &str, p: &str) -> bool {
    s.ends_with(p)
}

fn fill_char(fill: &str) -> R<char> {
    let mut it = fill.chars();
    match (it.next(), it.next()) {
        (Some(c), None) => Ok(c),
        _ => raise(Exc::TypeError, "The fill character must be exactly one character long"),
    }
}

/// A buffer of `n` bytes, or a fallback when the allocator refuses it: `with_capacity`
/// would abort the process, and Python may still manage (or raise its own MemoryError).
fn reserved(n: usize) -> R<String> {
    let mut out = String::new();
    if out.try_reserve_exact(n).is_err() {
        return fallback("a str too big to allocate");
    }
    Ok(out)
}

fn padded(s: &str, left: i64, right: i64, fill: char) -> R<Str> {
    let mut out = reserved(s.len() + (left + right) as usize * fill.len_utf8())?;
    for _ in 0..left {
        out.push(fill);
    }
    out.push_str(s);
    for _ in 0..right {
        out.push(fill);
    }
    Ok(Str::from(out))
}

/// ljust (0), rjust (1) and center (2), with CPython's split of an odd margin.
pub fn str_pad(s: &str, width: i64, fill: &str, mode: u8) -> R<Str> {
    let fill = fill_char(fill)?;
    let n = str_len(s);
    if width <= n {
        return Ok(Str::from(s));
    }
    if width > u32::MAX as i64 {
        return fallback("a padded str beyond 4 GiB");
    }
    let marg = width - n;
    let (left, right) = match mode {
        0 => (0, marg),
        1 => (marg, 0),
        _ => {
            let left = marg / 2 + (marg & width & 1);
            (left, marg - left)
        }
    };
    padded(s, left, right, fill)
}

pub fn str_zfill(s: &str, width: i64) -> R<Str> {
    let n = str_len(s);
    if width <= n {
        return Ok(Str::from(s));
    }
    if width > u32::MAX as i64 {
        return fallback("a padded str beyond 4 GiB");
    }
    let fill = (width - n) as usize;
    let mut out = reserved(s.len() + fill)?;
    let (sign, rest) = match s.chars().next() {
        Some(c @ ('+' | '-')) => (Some(c), &s[1..]),
        _ => (None, s),
    };
    if let Some(c) = sign {
        out.push(c);
    }
    for _ in 0..fill {
        out.push('0');
    }
    out.push_str(rest);
    Ok(Str::from(out))
}

pub fn str_partition(s: &str, sep: &str, right: bool) -> R<(Str, Str, Str)> {
    if sep.is_empty() {
        return raise(Exc::ValueError, "empty separator");
    }
    let found = if right { s.rfind(sep) } else { s.find(sep) };
    Ok(match found {
        Some(i) => (Str::from(&s[..i]), Str::from(sep), Str::from(&s[i + sep.len()..])),
        None if right => (Str::from(""), Str::from(""), Str::from(s)),
        None => (Str::from(s), Str::from(""), Str::from("")),
    })
}

pub fn str_of_int(i: i64) -> Str {
    Str::from(i.to_string())
}

pub fn str_of_bool(b: bool) -> Str {
    Str::from(if b { "True" } else { "False" })
}

/// repr(float) (and str(float)): the shortest digits that round-trip, nearest to the
/// value, ties to even (as Python's dtoa), laid out as float_repr does: positional for
/// exponents -4..16, otherwise d.ddde+XX.
pub fn str_of_float(x: f64) -> R<Str> {
    if x.is_nan() {
        return Ok(Str::from("nan"));
    }
    if x.is_infinite() {
        return Ok(Str::from(if x > 0.0 { "inf" } else { "-inf" }));
    }
    if x == 0.0 {
        return Ok(Str::from(if x.is_sign_negative() { "-0.0" } else { "0.0" }));
    }
    // Rust's shortest digits break a tie between two equally near candidates upwards,
    // dtoa to the even one: keep the count, take the correctly rounded (ties-even) digits.
    let shortest = format!("{:e}", x.abs());
    let n = shortest.split_once('e').unwrap().0.chars().filter(|c| c.is_ascii_digit()).count();
    if halfway(x.abs(), n) {
        // Exactly between two shortest forms (2**-24 is 5.9604644775390625e-08): dtoa's
        // choice there is not simply ties-to-even, so Python gives the answer.
        return Err(RtErr::Fallback("repr of a float halfway between two shortest forms"));
    }
    let sci = format!("{:.*e}", n - 1, x.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap();
    let exp: i64 = exp.parse().unwrap();
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let decpt = exp + 1;
    let mut out = String::new();
    if x < 0.0 {
        out.push('-');
    }
    if decpt <= -4 || decpt > 16 {
        out.push_str(&digits[..1]);
        if digits.len() > 1 {
            out.push('.');
            out.push_str(&digits[1..]);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        out.push_str(&format!("{:02}", exp.abs()));
    } else if decpt <= 0 {
        out.push_str("0.");
        for _ in 0..(-decpt) {
            out.push('0');
        }
        out.push_str(&digits);
    } else if (decpt as usize) < digits.len() {
        out.push_str(&digits[..decpt as usize]);
        out.push('.');
        out.push_str(&digits[decpt as usize..]);
    } else {
        out.push_str(&digits);
        for _ in 0..(decpt as usize - digits.len()) {
            out.push('0');
        }
        out.push_str(".0");
    }
    Ok(Str::from(out))
}

/// Whether `x`'s exact decimal value is halfway between two `n`-digit decimals: its digits
/// after the `n`th are a 5 and zeros (checked to 40 more digits; a longer expansion that
/// rounds to that shape only costs a needless fallback).
fn halfway(x: f64, n: usize) -> bool {
    let full = format!("{:.*e}", n + 40, x);
    let digits: Vec<u8> = full.split_once('e').unwrap().0.bytes().filter(u8::is_ascii_digit).collect();
    digits[n] == b'5' && digits[n + 1..].iter().all(|&d| d == b'0')
}

/// repr() of an ASCII str, as Python writes it (quotes chosen the way it chooses).
fn ascii_str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') { '"' } else { '\'' };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// int(s) for a str: Python's rules for ASCII text (surrounding whitespace, a sign,
/// single underscores between digits); other text, and ints beyond 64 bits, fall back.
pub fn int_of_str(s: &str) -> R<i64> {
    if !s.is_ascii() {
        return fallback(NOT_ASCII);
    }
    let bad = || -> R<i64> {
        let shown: String = ascii_str_repr(s).chars().take(200).collect();
        Err(RtErr::Raise(Exc::ValueError, format!("invalid literal for int() with base 10: {}", shown)))
    };
    let c_space = |c: char| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r');
    let t = s.trim_matches(c_space);
    let (neg, body) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let b = body.as_bytes();
    if b.len() > 640 {
        // CPython's limit on digits converted (sys.set_int_max_str_digits) is Python's call.
        return fallback("int() of a long digit string");
    }
    if b.is_empty() || !b[0].is_ascii_digit() || !b[b.len() - 1].is_ascii_digit() {
        return bad();
    }
    let mut acc: i128 = 0;
    let mut prev_underscore = false;
    for &c in b {
        if c == b'_' {
            if prev_underscore {
                return bad();
            }
            prev_underscore = true;
            continue;
        }
        if !c.is_ascii_digit() {
            return bad();
        }
        prev_underscore = false;
        acc = acc * 10 + (c - b'0') as i128;
        if acc > 1_i128 << 64 {
            return fallback(OVERFLOW);
        }
    }
    let v = if neg { -acc } else { acc };
    if v < i64::MIN as i128 || v > i64::MAX as i128 {
        return fallback(OVERFLOW);
    }
    Ok(v as i64)
}

/// repr() of a value in an error message, where Rust can write it exactly.
pub trait ExactRepr {
    fn exact_repr(&self) -> Option<String>;
}
impl ExactRepr for i64 {
    fn exact_repr(&self) -> Option<String> {
        Some(self.to_string())
    }
}
impl ExactRepr for bool {
    fn exact_repr(&self) -> Option<String> {
        Some(if *self { "True" } else { "False" }.to_string())
    }
}
impl ExactRepr for Str {
    fn exact_repr(&self) -> Option<String> {
        if self.is_ascii() {
            Some(ascii_str_repr(self))
        } else {
            None // printable or not is Python's Unicode table's decision
        }
    }
}
macro_rules! tuple_exact_repr {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: ExactRepr),+> ExactRepr for ($($name,)+) {
            fn exact_repr(&self) -> Option<String> {
                let parts: Vec<String> = vec![$(self.$idx.exact_repr()?),+];
                Some(if parts.len() == 1 { format!("({},)", parts[0]) } else { format!("({})", parts.join(", ")) })
            }
        }
    };
}
tuple_exact_repr!(A 0);
tuple_exact_repr!(A 0, B 1);
tuple_exact_repr!(A 0, B 1, C 2);
tuple_exact_repr!(A 0, B 1, C 2, D 3);

pub fn list_index<T: PartialEq + ExactRepr>(xs: &[T], x: &T) -> R<i64> {
    match xs.iter().position(|y| y == x) {
        Some(i) => Ok(i as i64),
        None => match x.exact_repr() {
            Some(r) => Err(RtErr::Raise(Exc::ValueError, format!("{} is not in list", r))),
            None => fallback("the message shows repr() of a non-ASCII str"),
        },
    }
}

pub fn list_count<T: PartialEq>(xs: &[T], x: &T) -> i64 {
    xs.iter().filter(|y| *y == x).count() as i64
}

pub fn list_remove<T: PartialEq>(xs: &mut Vec<T>, x: &T) -> R<()> {
    match xs.iter().position(|y| y == x) {
        Some(i) => {
            xs.remove(i);
            Ok(())
        }
        None => raise(Exc::ValueError, "list.remove(x): x not in list"),
    }
}

pub fn list_del<T>(xs: &mut Vec<T>, i: i64) -> R<()> {
    let j = index(xs.len(), i, "list assignment")?;
    xs.remove(j);
    Ok(())
}

/// Values Python orders by `<` the way Rust's PartialOrd does, except NaN: where a NaN
/// takes part, the outcome depends on Python's algorithm (sort) or on object identity
/// (tuples), so the call falls back.
pub trait HasNan {
    fn has_nan(&self) -> bool;
}
impl HasNan for f64 {
    #[inline]
    fn has_nan(&self) -> bool {
        self.is_nan()
    }
}
impl HasNan for i64 {
    #[inline]
    fn has_nan(&self) -> bool {
        false
    }
}
impl HasNan for bool {
    #[inline]
    fn has_nan(&self) -> bool {
        false
    }
}
impl HasNan for Str {
    #[inline]
    fn has_nan(&self) -> bool {
        false
    }
}
macro_rules! tuple_has_nan {
    ($($name:ident $idx:tt),+) => {
        impl<$($name: HasNan),+> HasNan for ($($name,)+) {
            #[inline]
            fn has_nan(&self) -> bool {
                false $(|| self.$idx.has_nan())+
            }
        }
    };
}
tuple_has_nan!(A 0);
tuple_has_nan!(A 0, B 1);
tuple_has_nan!(A 0, B 1, C 2);
tuple_has_nan!(A 0, B 1, C 2, D 3);

const NAN_SORT: &str = "sorting NaN: the order depends on Python's algorithm";

fn order<K: PartialOrd>(a: &K, b: &K, reverse: bool) -> std::cmp::Ordering {
    let o = a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal);
    if reverse {
        o.reverse()
    } else {
        o
    }
}

/// list.sort() without a key: stable; reverse keeps equal items in their order, as
/// Python's reverse-sort-reverse does.
pub fn list_sort<T: PartialOrd + HasNan>(xs: &mut Vec<T>, reverse: bool) -> R<()> {
    if xs.iter().any(|x| x.has_nan()) {
        return fallback(NAN_SORT);
    }
    xs.sort_by(|a, b| order(a, b, reverse));
    Ok(())
}

/// list.sort(key=...): the keys were computed first, in order, as Python does.
pub fn sort_keyed<T, K: PartialOrd + HasNan>(xs: &mut Vec<T>, keys: Vec<K>, reverse: bool) -> R<()> {
    if keys.iter().any(|k| k.has_nan()) {
        return fallback(NAN_SORT);
    }
    let mut idx: Vec<usize> = (0..xs.len()).collect();
    idx.sort_by(|&a, &b| order(&keys[a], &keys[b], reverse));
    let mut old: Vec<Option<T>> = std::mem::take(xs).into_iter().map(Some).collect();
    xs.extend(idx.into_iter().map(|i| old[i].take().unwrap()));
    Ok(())
}

/// The ValueError of min()/max() over nothing, in the running Python's words.
pub fn empty_min_max<T>(name: &str) -> R<T> {
    if crate::PY_MINOR >= 12 {
        Err(RtErr::Raise(Exc::ValueError, format!("{}() iterable argument is empty", name)))
    } else {
        Err(RtErr::Raise(Exc::ValueError, format!("{}() arg is an empty sequence", name)))
    }
}

/// sum() of floats, one element at a time (the same arithmetic as sum_f); Python's sum
/// of nothing is the int 0, which a float result cannot be: that call falls back.
pub struct FSum {
    f: f64,
    c: f64,
    n: usize,
}

impl FSum {
    #[inline]
    pub fn new() -> FSum {
        FSum { f: 0.0, c: 0.0, n: 0 }
    }

    #[inline]
    pub fn add(&mut self, x: f64) {
        self.n += 1;
        if crate::NEUMAIER_SUM {
            let t = self.f + x;
            if self.f.abs() >= x.abs() {
                self.c += (self.f - t) + x;
            } else {
                self.c += (x - t) + self.f;
            }
            self.f = t;
        } else {
            self.f += x;
        }
    }

    pub fn finish(&self) -> R<f64> {
        if self.n == 0 {
            return fallback("sum() of no floats is the int 0");
        }
        if crate::NEUMAIER_SUM && self.c != 0.0 && self.c.is_finite() {
            return Ok(self.f + self.c);
        }
        Ok(self.f)
    }
}

pub fn dict_pop<K: Hash + Eq + PyRepr, V>(d: &mut Map<K, V>, k: &K) -> R<V> {
    match d.shift_remove(k) {
        Some(v) => Ok(v),
        None => key_error(k),
    }
}

pub fn dict_pop_default<K: Hash + Eq, V>(d: &mut Map<K, V>, k: &K, default: V) -> V {
    d.shift_remove(k).unwrap_or(default)
}

pub fn dict_del<K: Hash + Eq + PyRepr, V>(d: &mut Map<K, V>, k: &K) -> R<()> {
    match d.shift_remove(k) {
        Some(_) => Ok(()),
        None => key_error(k),
    }
}

/// d.setdefault(k, v): the value now under k, inserted at the end when k was missing.
#[inline]
pub fn dict_setdefault<K: Hash + Eq, V>(d: &mut Map<K, V>, k: K, default: V) -> &mut V {
    d.entry(k).or_insert(default)
}

/// d.update(other): existing keys keep their place, new ones go at the end.
pub fn dict_update<K: Hash + Eq, V>(d: &mut Map<K, V>, other: Map<K, V>) {
    for (k, v) in other {
        d.insert(k, v);
    }
}
