//! Time helpers: the request's `at` is the only clock. Parses RFC 3339 instants,
//! fixed UTC offsets and `HH:MM` opening hours; formats deadlines in the caller's offset.

use chrono::{DateTime, Duration, FixedOffset, NaiveTime, Timelike};

pub type Instant = DateTime<FixedOffset>;

pub fn parse_at(text: &str) -> Option<Instant> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// `+01:00`, `-03:00`, `Z`.
pub fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let (sign, rest) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => return None,
    };
    let (h, m) = rest.split_once(':')?;
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

pub fn parse_hhmm(text: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(text, "%H:%M").ok()
}

/// Is `at`, seen in local time `offset`, within `[opens, closes)`?
pub fn within_hours(at: Instant, offset: &str, opens: &str, closes: &str) -> bool {
    let (Some(offset), Some(opens), Some(closes)) =
        (parse_offset(offset), parse_hhmm(opens), parse_hhmm(closes))
    else {
        return true;
    };
    let local = at.with_timezone(&offset).time();
    let local = local.with_nanosecond(0).unwrap_or(local);
    local >= opens && local < closes
}

/// RFC 3339 in the instant's own offset, seconds precision.
pub fn format(at: Instant) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
}

pub fn hours(n: i64) -> Duration {
    Duration::hours(n)
}

pub fn minutes(n: i64) -> Duration {
    Duration::minutes(n)
}

pub fn days(n: i64) -> Duration {
    Duration::days(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_use_the_local_offset() {
        let at = parse_at("2026-12-18T20:00:00+01:00").expect("valid");
        assert!(within_hours(at, "+01:00", "08:00", "22:00"));
        let late = parse_at("2026-12-18T22:30:00+01:00").expect("valid");
        assert!(!within_hours(late, "+01:00", "08:00", "22:00"));
        // 20:00 in Madrid is 16:00 in Buenos Aires.
        assert!(within_hours(at, "-03:00", "10:00", "20:00"));
    }

    #[test]
    fn offsets_parse_and_format_round_trips() {
        assert_eq!(
            parse_offset("-03:00").map(|o| o.local_minus_utc()),
            Some(-10800)
        );
        assert!(parse_offset("01:00").is_none());
        let at = parse_at("2026-12-18T20:00:00+01:00").expect("valid");
        assert_eq!(format(at + days(3)), "2026-12-21T20:00:00+01:00");
    }
}
