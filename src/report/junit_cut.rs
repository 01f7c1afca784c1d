//! What the JUnit report says of a run cut short (a signal, the deadline): `CutNote`,
//! the properties and `<system-err>` line of every suite, and `Cut`, why each step it
//! left is a `<skipped>` test case.

use crate::report::RunReport;

/// What a cut-short run's suites say: properties, and a line for `<system-err>`.
pub struct CutNote {
    pub properties: Vec<(&'static str, String)>,
    pub line: String,
}

pub fn cut_note(report: &RunReport) -> Option<CutNote> {
    if !report.interrupted && !report.incomplete {
        return None;
    }
    let mut properties = vec![
        ("seam.interrupted", report.interrupted.to_string()),
        ("seam.incomplete", report.incomplete.to_string()),
    ];
    if let Some(signal) = &report.signal {
        properties.push(("seam.signal", signal.clone()));
    }
    let what = format!(
        "steps abandoned: {}, not sent: {}",
        report.abandoned.len(),
        report.not_sent_steps()
    );
    let line = match &report.signal {
        Some(signal) => format!(
            "seam: interrupted by {signal}: {what}; the findings are those of what was replayed"
        ),
        None => format!("seam: incomplete: the deadline cut the run: {what}"),
    };
    Some(CutNote { properties, line })
}

/// Why each step a cut left was not (fully) sent, by (file, journey, step).
pub struct Cut<'a> {
    why: std::collections::HashMap<(&'a str, &'a str, &'a str), String>,
}

impl<'a> Cut<'a> {
    pub fn of_report(report: &'a RunReport) -> Cut<'a> {
        let by = match &report.signal {
            Some(signal) => format!("interrupted by {signal}"),
            None => "the deadline passed".to_string(),
        };
        let mut why = std::collections::HashMap::new();
        for n in &report.not_sent {
            for step in &n.steps {
                why.insert((&*n.file, &*n.journey, &**step), format!("not sent: {by}"));
            }
        }
        for a in &report.abandoned {
            let how = match a.in_flight {
                true => format!("abandoned: turn {} was in flight when {by}", a.turn),
                false => format!("abandoned: turn {} not sent: {by}", a.turn),
            };
            why.insert((&*a.file, &*a.journey, &*a.step), how);
        }
        Cut { why }
    }

    pub fn of(&self, file: &str, journey: &str, step: &str) -> Option<String> {
        self.why.get(&(file, journey, step)).cloned()
    }
}
