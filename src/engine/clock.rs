//! `VirtualClock`: a journey's virtual time. Steps move it forward; promise deadlines
//! fall due as it passes them, and the journey ends at its last step or deadline.

use chrono::{DateTime, FixedOffset, SecondsFormat};

/// A moment on a journey's virtual clock.
pub type Moment = DateTime<FixedOffset>;

/// RFC 3339 with offset (`2026-12-20T11:00:00+01:00`), subseconds only when present.
pub fn format(at: &Moment) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

/// Parse an RFC 3339 time; `None` when it is not one (a SUT may send anything).
pub fn parse(text: &str) -> Option<Moment> {
    DateTime::parse_from_rfc3339(text).ok()
}

/// A promise deadline waiting for its outbox read.
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub promise: String,
    pub at: Moment,
    /// The deadline as the SUT wrote it, used as the `until` of the read.
    pub until: String,
}

/// Virtual time of one journey: the latest moment reached and the deadlines pending.
#[derive(Debug, Clone, Default)]
pub struct VirtualClock {
    now: Option<Moment>,
    /// Latest step time or promise deadline seen.
    latest: Option<Moment>,
    pending: Vec<Due>,
    known: Vec<String>,
}

impl VirtualClock {
    pub fn new() -> Self {
        Self::default()
    }

    /// The latest step time reached, if any step ran.
    pub fn now(&self) -> Option<Moment> {
        self.now
    }

    /// Schedule an outbox read at a promise's deadline. A promise id is scheduled once per
    /// journey; a deadline that is not RFC 3339 is not scheduled (the end read covers it).
    pub fn promise(&mut self, id: &str, by: &str) {
        if self.known.iter().any(|k| k == id) {
            return;
        }
        self.known.push(id.to_string());
        if let Some(at) = parse(by) {
            self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
            self.pending.push(Due {
                promise: id.to_string(),
                at,
                until: by.to_string(),
            });
        }
    }

    /// Move the clock to `at` (a step about to happen) and return the deadlines reached on
    /// the way (`<= at`), earliest first. The clock never moves backwards.
    pub fn advance_to(&mut self, at: Moment) -> Vec<Due> {
        let due = self.take_due(Some(at));
        self.now = Some(self.now.map_or(at, |n| n.max(at)));
        self.latest = Some(self.latest.map_or(at, |l| l.max(at)));
        due
    }

    /// End the journey: every deadline still pending (earliest first) and the moment the
    /// journey ends, the later of its last step and its last deadline.
    pub fn finish(&mut self) -> (Vec<Due>, Option<Moment>) {
        let due = self.take_due(None);
        (due, self.latest)
    }

    fn take_due(&mut self, upto: Option<Moment>) -> Vec<Due> {
        let mut due = Vec::new();
        let mut rest = Vec::new();
        for d in self.pending.drain(..) {
            if upto.is_none_or(|u| d.at <= u) {
                due.push(d);
            } else {
                rest.push(d);
            }
        }
        self.pending = rest;
        due.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.promise.cmp(&b.promise)));
        due
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Moment {
        parse(s).unwrap_or_else(|| panic!("bad test time {s}"))
    }

    #[test]
    fn formats_with_offset_and_without_subseconds() {
        let at = t("2026-12-20T11:00:00+01:00");
        assert_eq!(format(&at), "2026-12-20T11:00:00+01:00");
        assert_eq!(
            format(&t("2026-12-20T10:00:00Z")),
            "2026-12-20T10:00:00+00:00"
        );
    }

    #[test]
    fn deadlines_fall_due_as_the_clock_passes_them() {
        let mut clock = VirtualClock::new();
        assert!(clock.advance_to(t("2026-12-20T11:00:00+01:00")).is_empty());
        clock.promise("p2", "2026-12-24T20:00:00+01:00");
        clock.promise("p1", "2026-12-23T20:00:00+01:00");
        clock.promise("p1", "2027-01-01T00:00:00+01:00"); // same id: ignored
        clock.promise("bad", "next tuesday");
        let due = clock.advance_to(t("2026-12-23T20:00:00+01:00"));
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].promise, "p1");
        assert_eq!(due[0].until, "2026-12-23T20:00:00+01:00");
        let (rest, end) = clock.finish();
        assert_eq!(rest.len(), 1);
        assert_eq!(rest[0].promise, "p2");
        assert_eq!(end, Some(t("2026-12-24T20:00:00+01:00")));
    }

    #[test]
    fn the_journey_ends_at_its_last_step_when_no_deadline_is_later() {
        let mut clock = VirtualClock::new();
        clock.advance_to(t("2026-12-20T11:00:00+01:00"));
        clock.promise("p", "2026-12-20T12:00:00+01:00");
        clock.advance_to(t("2026-12-21T09:00:00+01:00"));
        let (rest, end) = clock.finish();
        assert!(rest.is_empty());
        assert_eq!(end, Some(t("2026-12-21T09:00:00+01:00")));
        assert_eq!(clock.now(), Some(t("2026-12-21T09:00:00+01:00")));
    }
}
