//! `seam run --compare OLD.json`: the scorecard of an earlier JSON report, and each
//! measure's change since then.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{Measures, Scorecard};

/// The earlier report a run is compared with: its file (as given) and its scorecard.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    pub file: String,
    pub scorecard: Scorecard,
}

/// One measure, then and now.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub measure: &'static str,
    pub old: Option<f64>,
    pub new: Option<f64>,
    /// `new - old`, when both are measured.
    pub delta: Option<f64>,
}

impl Compared {
    /// Read the scorecard of the JSON report at `path`: a file that cannot be read, is
    /// not a JSON report or has no scorecard (written before there was one) is an error.
    pub fn read(path: &Path) -> Result<Compared, String> {
        let shown = path.display();
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read --compare {shown}: {e}"))?;
        Compared::parse(&shown.to_string(), &text)
    }

    /// `read`, on the text of the file `file`.
    pub fn parse(file: &str, text: &str) -> Result<Compared, String> {
        #[derive(Deserialize)]
        struct Report {
            #[allow(dead_code)]
            schema: u32,
            scorecard: Option<Scorecard>,
        }
        let report: Report = serde_json::from_str(text)
            .map_err(|e| format!("--compare {file} is not a seam JSON report: {e}"))?;
        let scorecard = report.scorecard.ok_or_else(|| {
            format!("--compare {file} has no scorecard (written by an earlier seam)")
        })?;
        Ok(Compared {
            file: file.to_string(),
            scorecard,
        })
    }
}

/// Every measure of `old` and `new`, in report order.
pub fn changes(old: &Measures, new: &Measures) -> Vec<Change> {
    old.values()
        .into_iter()
        .zip(new.values())
        .map(|((measure, old), (_, new))| Change {
            measure,
            old,
            new,
            delta: old
                .zip(new)
                .map(|(o, n)| ((n - o) * 1000.0).round() / 1000.0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_without_a_scorecard_or_not_json_is_an_error() {
        let e = Compared::parse("old.json", r#"{"schema": 1}"#).expect_err("no scorecard");
        assert!(e.contains("has no scorecard"), "{e}");
        let e = Compared::parse("old.json", "not json").expect_err("not json");
        assert!(e.contains("is not a seam JSON report"), "{e}");
        let ok = Compared::parse("old.json", r#"{"schema": 1, "scorecard": {}}"#);
        assert_eq!(ok.map(|c| c.scorecard), Ok(Scorecard::default()));
    }

    #[test]
    fn a_report_written_before_the_scorecard_still_reads() {
        let mut json = serde_json::to_value(crate::report::sample::report()).expect("json");
        if let Some(o) = json.as_object_mut() {
            o.remove("scorecard");
        }
        let old: crate::run::RunReport = serde_json::from_value(json).expect("reads");
        assert_eq!(old.scorecard, Scorecard::default());
    }

    #[test]
    fn deltas_only_between_measured_values() {
        let old = Measures {
            journeys: 2,
            first_contact_resolution: Some(0.25),
            ..Measures::default()
        };
        let new = Measures {
            journeys: 3,
            first_contact_resolution: Some(0.75),
            promises_kept: Some(1.0),
            ..Measures::default()
        };
        let all = changes(&old, &new);
        assert_eq!(all[0].delta, Some(1.0));
        let fcr = all.iter().find(|c| c.measure == "first_contact_resolution");
        assert_eq!(fcr.and_then(|c| c.delta), Some(0.5));
        let kept = all.iter().find(|c| c.measure == "promises_kept");
        assert_eq!(kept.map(|c| (c.old, c.delta)), Some((None, None)));
    }
}
