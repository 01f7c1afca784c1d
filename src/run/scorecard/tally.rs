//! `Tally`: the sums one scope's measures come from, added journey by journey, and the
//! measures they give (`Tally::measures`).

use std::collections::BTreeMap;

use super::Measures;

/// The effort points per journey at which the effort score is half way (3 on 1-5).
pub const EFFORT_MIDPOINT: f64 = 2.0;

/// Counts of one scope (overall, or one channel).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tally {
    pub journeys: u64,
    pub contacts: u64,
    pub cases: u64,
    pub resolved: u64,
    /// Cases resolved by their first contact.
    pub first_contact: u64,
    /// Cases resolved by a contact on the channel they started on.
    pub same_channel: u64,
    /// Contacts of the cases (each in its case's scope).
    pub case_contacts: u64,
    pub switches: u64,
    pub transfers: u64,
    pub repeated: u64,
    pub handoffs: u64,
    pub handoffs_ok: u64,
    pub compared: u64,
    pub consistent: u64,
    /// Promises judged (kept, late or missing; not those the outbox cannot tell).
    pub promises: u64,
    pub promises_kept: u64,
    /// Minutes from a case's first contact to its resolution: how many cases took each.
    pub minutes: BTreeMap<i64, u64>,
}

impl Tally {
    pub fn add(&mut self, o: &Tally) {
        self.journeys += o.journeys;
        self.contacts += o.contacts;
        self.cases += o.cases;
        self.resolved += o.resolved;
        self.first_contact += o.first_contact;
        self.same_channel += o.same_channel;
        self.case_contacts += o.case_contacts;
        self.switches += o.switches;
        self.transfers += o.transfers;
        self.repeated += o.repeated;
        self.handoffs += o.handoffs;
        self.handoffs_ok += o.handoffs_ok;
        self.compared += o.compared;
        self.consistent += o.consistent;
        self.promises += o.promises;
        self.promises_kept += o.promises_kept;
        for (m, n) in &o.minutes {
            *self.minutes.entry(*m).or_default() += n;
        }
    }

    /// The effort points: repeated questions, channel switches, transfers, contacts
    /// beyond the first of each case, and two for each case left unresolved.
    pub fn effort_points(&self) -> u64 {
        self.repeated
            + self.switches
            + self.transfers
            + self.case_contacts.saturating_sub(self.cases)
            + 2 * self.cases.saturating_sub(self.resolved)
    }

    pub fn measures(&self) -> Measures {
        let effort = ratio(self.effort_points(), self.journeys)
            .map(|p| round(1.0 + 4.0 * p / (p + EFFORT_MIDPOINT), 100.0));
        Measures {
            journeys: self.journeys,
            contacts: self.contacts,
            cases: self.cases,
            resolved: self.resolved,
            first_contact_resolution: ratio(self.first_contact, self.cases),
            query_serviceability: ratio(self.same_channel, self.cases),
            contacts_per_resolution: ratio(self.case_contacts, self.resolved),
            channel_switches_per_journey: ratio(self.switches, self.journeys),
            transfers_per_journey: ratio(self.transfers, self.journeys),
            repeated_questions_per_journey: ratio(self.repeated, self.journeys),
            handoff_success_rate: ratio(self.handoffs_ok, self.handoffs),
            answer_consistency_rate: ratio(self.consistent, self.compared),
            promises_kept: ratio(self.promises_kept, self.promises),
            time_to_resolution_hours: median(&self.minutes).map(|m| round(m / 60.0, 100.0)),
            customer_effort_score: effort,
        }
    }
}

/// `n / d` to three decimals, `None` when `d` is 0.
fn ratio(n: u64, d: u64) -> Option<f64> {
    (d > 0).then(|| round(n as f64 / d as f64, 1000.0))
}

fn round(x: f64, scale: f64) -> f64 {
    (x * scale).round() / scale
}

/// The median of values given as counts per value (the mean of the two middle ones when
/// their number is even), `None` when there is none.
fn median(counts: &BTreeMap<i64, u64>) -> Option<f64> {
    let total: u64 = counts.values().sum();
    if total == 0 {
        return None;
    }
    // The 0-based ranks of the middle values.
    let (lo, hi) = ((total - 1) / 2, total / 2);
    let mut seen = 0;
    let (mut a, mut b) = (None, None);
    for (&v, &n) in counts {
        if a.is_none() && lo < seen + n {
            a = Some(v);
        }
        if hi < seen + n {
            b = Some(v);
            break;
        }
        seen += n;
    }
    Some((a? as f64 + b? as f64) / 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_counted_values() {
        let m = |pairs: &[(i64, u64)]| median(&pairs.iter().copied().collect());
        assert_eq!(m(&[]), None);
        assert_eq!(m(&[(5, 1)]), Some(5.0));
        assert_eq!(m(&[(1, 1), (3, 1)]), Some(2.0));
        assert_eq!(m(&[(1, 2), (10, 1)]), Some(1.0));
        assert_eq!(m(&[(1, 1), (4, 2), (9, 1)]), Some(4.0));
    }

    #[test]
    fn nothing_to_measure_is_none_never_zero() {
        let m = Tally::default().measures();
        assert_eq!(m.first_contact_resolution, None);
        assert_eq!(m.customer_effort_score, None);
        assert_eq!(m.time_to_resolution_hours, None);
    }

    #[test]
    fn effort_is_one_without_effort_and_three_at_the_midpoint() {
        let none = Tally {
            journeys: 1,
            cases: 1,
            resolved: 1,
            case_contacts: 1,
            ..Tally::default()
        };
        assert_eq!(none.measures().customer_effort_score, Some(1.0));
        let mid = Tally {
            switches: 1,
            transfers: 1,
            ..none.clone()
        };
        assert_eq!(mid.measures().customer_effort_score, Some(3.0));
        let unresolved = Tally {
            resolved: 0,
            ..none
        };
        assert_eq!(unresolved.effort_points(), 2);
    }
}
