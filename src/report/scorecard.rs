//! The scorecard as the text report and the terminal summary show it: a `tabled` table,
//! one row per measure with a column for `overall` then each channel, and, after `--compare`, each overall measure (and
//! each channel's that changed) then and now; JUnit's `seam.scorecard.*` properties.

use tabled::Table;
use tabled::builder::Builder;

use crate::report::visible::visible;
use crate::run::scorecard::{Compared, Measures, Scorecard, compare};

/// The column heads, in `Measures::values` order (after the scope).
const HEADS: [&str; 15] = [
    "journeys",
    "contacts",
    "cases",
    "resolved",
    "FCR",
    "serviceability",
    "contacts/resolution",
    "switches/journey",
    "transfers/journey",
    "repeats/journey",
    "handoffs ok",
    "consistent",
    "promises kept",
    "hours to resolve",
    "effort (1-5)",
];

/// The scorecard as cells: a head (`measure`, `overall`, then each channel in name order)
/// and one row per measure, values as shown (`value`). Shared by the tables of the text
/// report and the Markdown report.
pub fn grid(scorecard: &Scorecard) -> Vec<Vec<String>> {
    let scopes: Vec<(String, &Measures)> =
        std::iter::once(("overall".to_string(), &scorecard.overall))
            .chain(
                scorecard
                    .channels
                    .iter()
                    .map(|(c, m)| (visible(c).into_owned(), m)),
            )
            .collect();
    let mut head = vec!["measure".to_string()];
    head.extend(scopes.iter().map(|(scope, _)| scope.clone()));
    let columns: Vec<Vec<String>> = scopes
        .iter()
        .map(|(_, m)| m.values().iter().map(|(name, v)| value(name, *v)).collect())
        .collect();
    let mut rows = vec![head];
    for (i, measure) in HEADS.iter().enumerate() {
        let mut row = vec![(*measure).to_string()];
        row.extend(
            columns
                .iter()
                .map(|c| c.get(i).cloned().unwrap_or_default()),
        );
        rows.push(row);
    }
    rows
}

/// One row per measure; a column for `overall`, then one per channel (in name order): a
/// run over many channels stays as wide as its channels, not as its fifteen measures.
pub fn table(scorecard: &Scorecard) -> Table {
    let mut b = Builder::default();
    for row in grid(scorecard) {
        b.push_record(row);
    }
    b.build()
}

/// Each overall measure in the earlier report and now, and the change; then, per channel
/// (of either run, in name order), the measures that changed.
pub fn change_table(compared: &Compared, now: &Scorecard) -> Table {
    let mut b = Builder::default();
    b.push_record(["scope", "measure", "before", "now", "change"]);
    let mut rows = |scope: &str, old: &Measures, new: &Measures, all: bool| {
        let changes = compare::changes(old, new);
        for (c, head) in changes.iter().zip(HEADS) {
            if !all && c.old == c.new {
                continue;
            }
            let delta = match c.delta {
                None => "-".to_string(),
                Some(d) if Measures::is_rate(c.measure) => format!("{:+.0} pts", d * 100.0),
                Some(d) if is_count(c.measure) => format!("{d:+.0}"),
                Some(d) => format!("{d:+.2}"),
            };
            b.push_record([
                scope.to_string(),
                head.to_string(),
                value(c.measure, c.old),
                value(c.measure, c.new),
                delta,
            ]);
        }
    };
    let before = &compared.scorecard;
    rows("overall", &before.overall, &now.overall, true);
    let mut channels: Vec<&String> = before.channels.keys().chain(now.channels.keys()).collect();
    channels.sort();
    channels.dedup();
    let none = Measures::default();
    for c in channels {
        let old = before.channels.get(c).unwrap_or(&none);
        let new = now.channels.get(c).unwrap_or(&none);
        rows(&visible(c), old, new, false);
    }
    b.build()
}

/// The heading of the change table.
pub fn change_title(compared: &Compared) -> String {
    format!("Scorecard change since {}", visible(&compared.file))
}

/// `seam.scorecard.SCOPE.MEASURE` for every measured value of the scorecard, `overall`
/// first then each channel (a measure with nothing to measure is left out).
pub fn properties(sc: &Scorecard) -> Vec<(String, String)> {
    if sc.overall.journeys == 0 {
        return Vec::new();
    }
    let scopes = std::iter::once(("overall", &sc.overall))
        .chain(sc.channels.iter().map(|(c, m)| (c.as_str(), m)));
    let mut out = Vec::new();
    for (scope, m) in scopes {
        for (name, v) in m.values() {
            if let Some(v) = v {
                out.push((format!("seam.scorecard.{scope}.{name}"), v.to_string()));
            }
        }
    }
    out
}

fn is_count(name: &str) -> bool {
    matches!(name, "journeys" | "contacts" | "cases" | "resolved")
}

/// A measure as shown: a rate as a percentage, a count whole, others with two decimals,
/// `-` when there is nothing to measure.
fn value(name: &str, v: Option<f64>) -> String {
    match v {
        None => "-".to_string(),
        Some(v) if Measures::is_rate(name) => format!("{:.0}%", v * 100.0),
        Some(v) if is_count(name) => format!("{v:.0}"),
        Some(v) => format!("{v:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample;

    #[test]
    fn one_row_per_measure_and_a_column_for_overall_then_each_channel() {
        let text = table(&sample::scorecard()).to_string();
        let rows: Vec<&str> = text.lines().filter(|l| l.contains('|')).collect();
        // The cells of a row (the table's outer borders are `|` too).
        let cols = |row: &str| -> Vec<String> {
            row.split('|')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect()
        };
        assert_eq!(
            cols(rows[0]),
            ["measure", "overall", "chat", "phone", "web"],
            "{text}"
        );
        assert_eq!(
            rows.len(),
            1 + HEADS.len(),
            "a head and one row per measure: {text}"
        );
        let cells = |measure: &str| -> Vec<String> {
            let row = rows
                .iter()
                .find(|r| cols(r).first().is_some_and(|c| c == measure))
                .unwrap_or_else(|| panic!("row {measure}: {text}"));
            cols(row)
        };
        assert_eq!(cells("FCR")[1..], ["25%", "50%", "0%", "-"], "{text}");
        assert_eq!(cells("effort (1-5)")[1], "3.50", "{text}");
    }

    #[test]
    fn changes_show_before_now_and_the_difference() {
        let now = sample::scorecard();
        let mut before = now.clone();
        before.overall.first_contact_resolution = Some(0.5);
        before.overall.promises_kept = None;
        let compared = Compared {
            file: "old.json".into(),
            scorecard: before,
        };
        let text = change_table(&compared, &now).to_string();
        let fcr = text.lines().find(|l| l.contains("FCR")).unwrap_or_default();
        assert!(
            fcr.contains("50%") && fcr.contains("25%") && fcr.contains("-25 pts"),
            "{fcr}"
        );
        let kept = text
            .lines()
            .find(|l| l.contains("promises kept"))
            .unwrap_or_default();
        assert!(kept.contains(" - "), "{kept}");
    }
}
