//! `parse_duration` and `parse_time`: the clock values of a scenario (`20m`, `1h30m`,
//! `2d`, `1w`; RFC 3339 times with an offset), with messages fit for a diagnostic.

use chrono::{DateTime, FixedOffset, TimeDelta};

/// Units a duration may use, largest first.
const UNITS: [(char, i64); 5] = [
    ('w', 7 * 86_400),
    ('d', 86_400),
    ('h', 3_600),
    ('m', 60),
    ('s', 1),
];

/// Parses `20m`, `2h`, `2d`, `1w`, `1h30m`, `90s`: numbers with a unit each, units from
/// largest to smallest, each at most once.
pub fn parse_duration(text: &str) -> Result<TimeDelta, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty duration".into());
    }
    let mut total: i64 = 0;
    let mut number = String::new();
    let mut last_unit: Option<usize> = None;
    for c in trimmed.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if c.is_whitespace() {
            return Err(format!("no spaces allowed in duration `{text}`"));
        }
        let Some(index) = UNITS.iter().position(|(u, _)| *u == c) else {
            return Err(format!("unknown unit `{c}` in duration `{text}`"));
        };
        if number.is_empty() {
            return Err(format!("missing number before `{c}` in duration `{text}`"));
        }
        if last_unit.is_some_and(|last| index <= last) {
            return Err(format!(
                "units out of order or repeated in duration `{text}`"
            ));
        }
        let value: i64 = number
            .parse()
            .map_err(|_| format!("number too large in duration `{text}`"))?;
        total = value
            .checked_mul(UNITS[index].1)
            .and_then(|secs| total.checked_add(secs))
            .ok_or_else(|| format!("duration `{text}` is too long"))?;
        number.clear();
        last_unit = Some(index);
    }
    if !number.is_empty() {
        return Err(format!(
            "missing unit after `{number}` in duration `{text}`"
        ));
    }
    // A hundred years is plenty for a customer journey, and keeps date arithmetic safe.
    if total > 100 * 365 * 86_400 {
        return Err(format!("duration `{text}` is too long"));
    }
    TimeDelta::try_seconds(total).ok_or_else(|| format!("duration `{text}` is too long"))
}

/// Parses an RFC 3339 time; the offset is required.
pub fn parse_time(text: &str) -> Result<DateTime<FixedOffset>, String> {
    DateTime::parse_from_rfc3339(text.trim()).map_err(|e| {
        let missing_offset =
            chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S").is_ok()
                || chrono::NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M").is_ok();
        if missing_offset {
            format!("time `{text}` has no UTC offset")
        } else {
            format!("invalid RFC 3339 time `{text}` ({e})")
        }
    })
}

/// The hint that goes with a bad duration.
pub const DURATION_HINT: &str =
    "a duration is numbers with units w, d, h, m, s: `20m`, `2d`, `1h30m`";

/// The hint that goes with a bad time.
pub const TIME_HINT: &str = "write an RFC 3339 time with its offset: `2026-12-18T20:00:00+01:00`";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_durations() {
        assert_eq!(parse_duration("20m"), Ok(TimeDelta::minutes(20)));
        assert_eq!(parse_duration("2h"), Ok(TimeDelta::hours(2)));
        assert_eq!(parse_duration("2d"), Ok(TimeDelta::days(2)));
        assert_eq!(parse_duration("1w"), Ok(TimeDelta::weeks(1)));
        assert_eq!(parse_duration("1h30m"), Ok(TimeDelta::minutes(90)));
        assert_eq!(parse_duration("90s"), Ok(TimeDelta::seconds(90)));
    }

    #[test]
    fn refuses_malformed_durations() {
        for bad in [
            "",
            "20",
            "m",
            "20x",
            "1m1h",
            "1h1h",
            "-5m",
            "2 days",
            "99999999999999999w",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad:?} should fail");
        }
    }

    #[test]
    fn times_need_an_offset() {
        assert!(parse_time("2026-12-18T20:00:00+01:00").is_ok());
        assert!(parse_time("2026-12-18T20:00:00Z").is_ok());
        let err = parse_time("2026-12-18T20:00:00").unwrap_err();
        assert!(err.contains("no UTC offset"), "{err}");
        assert!(parse_time("2026-13-18T20:00:00Z").is_err());
    }
}
