//! Numbers as draft 7 compares them: exactly, across integers and floats
//! (`1` equals `1.0`, `2^53 + 1` is greater than `2^53` as a float).

use serde_json::Number;
use std::cmp::Ordering;

/// A number written in a schema (a bound, a `multipleOf`), as a constant.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    Int(i128),
    Float(f64),
}

impl Num {
    /// A JSON number read exactly.
    pub fn of(number: &Number) -> Option<Num> {
        if let Some(u) = number.as_u64() {
            Some(Num::Int(i128::from(u)))
        } else if let Some(i) = number.as_i64() {
            Some(Num::Int(i128::from(i)))
        } else {
            number.as_f64().map(Num::Float)
        }
    }

    /// Exact comparison; `None` only for NaN, which JSON cannot write.
    pub fn compare(self, other: Num) -> Option<Ordering> {
        match (self, other) {
            (Num::Int(a), Num::Int(b)) => Some(a.cmp(&b)),
            (Num::Float(a), Num::Float(b)) => a.partial_cmp(&b),
            (Num::Int(a), Num::Float(b)) => int_vs_float(a, b),
            (Num::Float(a), Num::Int(b)) => int_vs_float(b, a).map(Ordering::reverse),
        }
    }
}

/// `a` against `b` without rounding either.
fn int_vs_float(a: i128, b: f64) -> Option<Ordering> {
    if b.is_nan() {
        return None;
    }
    // 2^127: every i128 lies strictly between -2^127 - 1 and 2^127.
    const LIMIT: f64 = 170_141_183_460_469_231_731_687_303_715_884_105_728.0;
    if b >= LIMIT {
        return Some(Ordering::Less);
    }
    if b < -LIMIT {
        return Some(Ordering::Greater);
    }
    let whole = b.trunc();
    // Integral and within range, so the cast is exact.
    match a.cmp(&(whole as i128)) {
        Ordering::Equal => 0.0_f64.partial_cmp(&(b - whole)),
        other => Some(other),
    }
}

/// Whether `number` is an integer in draft 7's sense (`1.0` is).
pub fn is_integer(number: &Number) -> bool {
    number.is_i64() || number.is_u64() || number.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// Whether `value / multiple` is an integer (`multiple > 0`), as `jsonschema`
/// decides it: integer divisors by integer arithmetic where the instance is an
/// integer, fractional ones in the decimal reading both numbers print as.
pub fn is_multiple_of(value: &Number, multiple: f64) -> bool {
    if multiple.fract() == 0.0 {
        if multiple > 0.0 && multiple <= MAX_SAFE_INTEGER {
            if let Some(v) = value.as_u64() {
                return v % (multiple as u64) == 0;
            }
            if let Some(v) = value.as_i64() {
                return v % (multiple as i64) == 0;
            }
        }
        return value
            .as_f64()
            .is_some_and(|v| v.fract() == 0.0 && v % multiple == 0.0);
    }
    let Some(v) = value.as_f64() else {
        return false;
    };
    if v == 0.0 {
        return true;
    }
    if v.abs() < multiple {
        return false;
    }
    match (decimal_parts(v), decimal_parts(multiple)) {
        (Some((vm, vd)), Some((mm, md))) if mm != 0 => {
            let shared = vd.min(md);
            let scale = |mantissa: i128, decimals: i32| {
                let places = u32::try_from(decimals - shared).ok()?;
                mantissa.checked_mul(10_i128.checked_pow(places)?)
            };
            match (scale(vm, md), scale(mm, vd)) {
                (Some(a), Some(b)) if b != 0 => a % b == 0,
                _ => (v / multiple).fract() == 0.0,
            }
        }
        _ => (v / multiple).fract() == 0.0,
    }
}

const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_992.0;

/// `f` as `mantissa × 10^-decimals`, read from its shortest decimal text.
fn decimal_parts(f: f64) -> Option<(i128, i32)> {
    let text = format!("{f:e}");
    let (digits, exponent) = text.split_once('e')?;
    let exponent: i32 = exponent.parse().ok()?;
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let mantissa: i128 = format!("{whole}{fraction}").parse().ok()?;
    let decimals = i32::try_from(fraction.len()).ok()? - exponent;
    let mantissa = if negative { -mantissa } else { mantissa };
    if decimals < 0 {
        let factor = 10_i128.checked_pow(u32::try_from(-decimals).ok()?)?;
        Some((mantissa.checked_mul(factor)?, 0))
    } else {
        Some((mantissa, decimals))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn n(v: serde_json::Value) -> Num {
        Num::of(v.as_number().unwrap()).unwrap()
    }

    #[test]
    fn integers_and_floats_compare_exactly() {
        assert_eq!(n(json!(1)).compare(n(json!(1.0))), Some(Ordering::Equal));
        assert_eq!(
            n(json!(9007199254740993_u64)).compare(Num::Float(9007199254740992.0)),
            Some(Ordering::Greater)
        );
        assert_eq!(n(json!(-1)).compare(n(json!(-0.5))), Some(Ordering::Less));
        assert_eq!(
            n(json!(u64::MAX)).compare(n(json!(-1))),
            Some(Ordering::Greater)
        );
    }

    #[test]
    fn multiples() {
        let num = |v: serde_json::Value| v.as_number().unwrap().clone();
        assert!(is_multiple_of(&num(json!(10)), 5.0));
        assert!(!is_multiple_of(&num(json!(7)), 5.0));
        assert!(is_multiple_of(&num(json!(0.3)), 0.1));
        assert!(!is_multiple_of(&num(json!(0.35)), 0.1));
        assert!(is_integer(&num(json!(2.0))) && !is_integer(&num(json!(2.5))));
    }
}
