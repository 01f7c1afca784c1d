//! Matchers of the scenario language (`expect` answers, `{gt: 1}`...), checked against
//! the values a SUT answered; durations between two times, shown compactly.

use chrono::TimeDelta;
use serde_json::Value;

use crate::rules::evidence;
use crate::rules::text::{Json, Piece, text};
use crate::scenario::model::{Comparison, Matcher};

/// `Ok` when the value satisfies the matcher, else why not.
pub fn matches(m: &Matcher, v: Option<&Value>) -> Result<(), String> {
    match mismatch(m, v) {
        None => Ok(()),
        Some(why) => Err(why),
    }
}

/// Why the value does not satisfy the matcher (`is 2, expected 1`), if it does not.
pub(crate) fn mismatch(m: &Matcher, v: Option<&Value>) -> Option<String> {
    let json;
    let shown: &dyn Piece = match v {
        Some(v) => {
            json = Json(v);
            &json
        }
        None => &"absent",
    };
    match m {
        Matcher::Equals(want) => match v {
            Some(v) if evidence::same(v, want) => None,
            _ => Some(text!("is ", shown, ", expected ", Json(want))),
        },
        Matcher::Compare(c) => {
            let fails = compare(c, v);
            if fails.is_empty() {
                None
            } else {
                Some(text!("is ", shown, ", expected ", fails.join(" and ")))
            }
        }
    }
}

/// The operators of `c` that `v` fails, rendered (`lt 3`, `exists`).
fn compare(c: &Comparison, v: Option<&Value>) -> Vec<String> {
    let mut fails = Vec::new();
    match (c.exists, v) {
        (Some(true), None) => fails.push("exists".to_string()),
        (Some(false), Some(_)) => fails.push("absent".to_string()),
        _ => {}
    }
    let num = v.and_then(Value::as_f64);
    let bounds = [
        ("lt", c.lt, f64::lt as fn(&f64, &f64) -> bool),
        ("le", c.le, f64::le),
        ("gt", c.gt, f64::gt),
        ("ge", c.ge, f64::ge),
    ];
    for (name, bound, op) in bounds {
        if let Some(b) = bound
            && !num.is_some_and(|n| op(&n, &b))
        {
            fails.push(format!("{name} {b}"));
        }
    }
    if let Some(want) = &c.eq
        && !v.is_some_and(|v| evidence::same(v, want))
    {
        fails.push(format!("eq {}", evidence::value(want)));
    }
    if let Some(not) = &c.ne
        && v.is_some_and(|v| evidence::same(v, not))
    {
        fails.push(format!("ne {}", evidence::value(not)));
    }
    if let Some(set) = &c.one_of
        && !v.is_some_and(|v| set.iter().any(|x| evidence::same(v, x)))
    {
        fails.push(format!(
            "in {}",
            evidence::value(&Value::Array(set.clone()))
        ));
    }
    if let Some(item) = &c.contains {
        let ok = match (v, item) {
            (Some(Value::Array(xs)), _) => xs.iter().any(|x| evidence::same(x, item)),
            (Some(Value::String(s)), Value::String(sub)) => s.contains(sub.as_str()),
            _ => false,
        };
        if !ok {
            fails.push(format!("contains {}", evidence::value(item)));
        }
    }
    fails
}

/// `4h`, `2d`, `1h30m`, `20m`, `1w`, `30s` in hours.
pub(crate) fn between(from: &str, to: &str) -> Option<TimeDelta> {
    let a = chrono::DateTime::parse_from_rfc3339(from).ok()?;
    let b = chrono::DateTime::parse_from_rfc3339(to).ok()?;
    Some(b - a)
}

/// `48h`, `1h30m`, `30m`: how long, for messages.
pub(crate) fn show(d: TimeDelta) -> String {
    let minutes = d.num_minutes();
    match (minutes / 60, minutes % 60) {
        (h, 0) if h > 0 => format!("{h}h"),
        (0, m) => format!("{m}m"),
        (h, m) => format!("{h}h{m}m"),
    }
}
