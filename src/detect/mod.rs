//! Detectors: pure functions from a `Trace` (and its `Journey`) to `Finding`s.
//! `detect_journey` runs every per-journey rule; `detect_run` adds cross-journey checks.
//!
//! One module per rule: `repeated_question`, `handoff`, `consistency`, `expectation`,
//! `sut_error`; `evidence` quotes what was said and answered. No detector names a
//! concrete intent, fact, channel or answer field: they work on any SUT.

pub mod consistency;
pub mod evidence;
pub mod expectation;
pub mod finding;
pub mod handoff;
pub mod promises;
pub mod repeated_question;
pub mod sut_error;
pub(crate) mod text;

#[cfg(test)]
pub(crate) mod testkit;

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeMap;
use std::sync::Arc;

use crate::detect::finding::{Evidence, Finding, Fingerprint, Fnv, Kind};
use crate::engine::trace::Trace;
use crate::scenario::model::{Journey, Step};

/// Every finding of one journey: severities applied, fingerprints computed, sorted.
pub fn detect_journey(journey: &Journey, trace: &Trace) -> Vec<Finding> {
    let mut findings = Vec::new();
    raw_journey(journey, trace, &consistency::answers(trace), &mut findings);
    finish(&mut findings, &[journey]);
    findings
}

/// Every finding of a run: each journey's, plus answers that disagree across journeys
/// (same intent and subject values at the same virtual moment), sorted.
pub fn detect_run(journeys: &[(&Journey, &Trace)]) -> Vec<Finding> {
    let mut detector = RunDetector::new(journeys.iter().map(|(j, _)| *j));
    for (index, (_, trace)) in journeys.iter().enumerate() {
        detector.read(index, trace);
    }
    detector.finish()
}

/// Findings a journey is expected to give at most, for sizing the vector of a journey's
/// findings (the bundled journeys on the siloed retailer give about five).
const FINDINGS_PER_JOURNEY: usize = 6;

/// `detect_run` for traces that come one by one, in any order (as `engine::run_each`
/// hands them over): each trace is read once, when every journey before it has been, and
/// then dropped. Only the findings and the first answer to each question at each moment
/// (for `same-moment`) are kept, so memory follows the findings, not the traces. The
/// findings are those `detect_run` gives, in the same order.
pub struct RunDetector<'j> {
    journeys: Vec<&'j Journey>,
    finish: Finish<'j>,
    moments: consistency::Moments,
    /// The findings of each journey read (none when it gave none), stamped, in the
    /// order read.
    findings: Vec<Vec<Finding>>,
    /// Traces that came before their turn, by journey position.
    waiting: BTreeMap<usize, Trace>,
    /// The position of the next journey to read.
    next: usize,
}

impl<'j> RunDetector<'j> {
    /// A detector for the run of `journeys`, in run order (positions count from 0).
    pub fn new(journeys: impl IntoIterator<Item = &'j Journey>) -> RunDetector<'j> {
        let journeys: Vec<&'j Journey> = journeys.into_iter().collect();
        let count = journeys.len();
        RunDetector {
            finish: Finish::new(journeys.iter().copied()),
            journeys,
            moments: consistency::Moments::default(),
            findings: Vec::with_capacity(count),
            waiting: BTreeMap::new(),
            next: 0,
        }
    }

    /// The trace of the journey at position `index`: read now if every journey before it
    /// has been (with any waiting trace that can follow), else kept until then.
    pub fn add(&mut self, index: usize, trace: Trace) {
        if index < self.next {
            return; // read already: a journey is handed over once
        }
        if index > self.next {
            self.waiting.insert(index, trace);
            return;
        }
        self.read(index, &trace);
        drop(trace);
        while let Some(trace) = self.waiting.remove(&self.next) {
            self.read(self.next, &trace);
        }
    }

    /// Read the trace of the journey at `index`, the next in run order: its own findings,
    /// then its answers compared with the first ones of the run (stamped while fresh).
    fn read(&mut self, index: usize, trace: &Trace) {
        self.next = index + 1;
        let Some(journey) = self.journeys.get(index).copied() else {
            return;
        };
        let answers = consistency::answers(trace);
        // Each journey's findings apart: sorting the run then moves whole journeys.
        let mut found = Vec::with_capacity(FINDINGS_PER_JOURNEY);
        raw_journey(journey, trace, &answers, &mut found);
        self.moments.add(index, trace, &answers, &mut found);
        self.finish.stamp(&mut found, Some(journey));
        if !found.is_empty() {
            self.findings.push(found);
        }
    }

    /// Every finding, sorted; traces still waiting (a journey before them never came) are
    /// read in order first.
    pub fn finish(mut self) -> Vec<Finding> {
        for (index, trace) in std::mem::take(&mut self.waiting) {
            self.read(index, &trace);
        }
        self.finish.sort_parts(self.findings)
    }
}

/// Only the cross-journey findings of a run (`same-moment`), finished like the others:
/// for a caller that already ran `detect_journey` on each journey.
pub fn detect_across(journeys: &[(&Journey, &Trace)]) -> Vec<Finding> {
    let mut findings = consistency::across_journeys(journeys);
    let all: Vec<&Journey> = journeys.iter().map(|(j, _)| *j).collect();
    finish(&mut findings, &all);
    findings
}

/// Findings of one journey before severities, fingerprints and order, given the trace's
/// answers (`consistency::answers`), added to `out`.
fn raw_journey(
    journey: &Journey,
    trace: &Trace,
    answers: &consistency::Answers,
    out: &mut Vec<Finding>,
) {
    repeated_question::detect_into(journey, trace, out);
    handoff::detect_into(journey, trace, out);
    expectation::detect_into(journey, trace, out);
    consistency::detect_answers(journey, trace, answers, out);
    sut_error::detect_into(journey, trace, out);
}

/// The journey step of the trace step at `index`, found by id (unique in a journey): the
/// step at the same index when the ids agree (the engine traces every step, in order),
/// else the step with that id.
pub(crate) fn journey_step<'j>(
    journey: &'j Journey,
    trace: &Trace,
    index: usize,
) -> Option<&'j Step> {
    let id = &trace.steps.get(index)?.id;
    journey
        .steps
        .get(index)
        .filter(|js| *js.id == **id)
        .or_else(|| journey.step(id))
}

/// A finding on `trace` with default severity and no fingerprint yet; `steps` are put in
/// journey order (unknown ids first) and `channels` derived from them.
#[allow(clippy::too_many_arguments)]
pub(crate) fn new_finding(
    kind: Kind,
    trace: &Trace,
    step: &Arc<str>,
    steps: Vec<Arc<str>>,
    rule: impl Into<Cow<'static, str>>,
    subject: Option<String>,
    message: String,
    evidence: Vec<Evidence>,
) -> Finding {
    let mut steps = steps;
    if !steps.contains(step) {
        steps.push(Arc::clone(step));
    }
    // Step ids mostly are the trace's own: the same `Arc`, found without comparing text.
    let pos = |id: &Arc<str>| {
        trace
            .steps
            .iter()
            .position(|s| Arc::ptr_eq(&s.id, id) || s.id == *id)
    };
    if steps.len() > 1 {
        steps.sort_by_key(|s| pos(s).map_or(0, |p| p + 1));
        steps.dedup();
    }
    let mut channels: Vec<Arc<str>> = Vec::with_capacity(steps.len());
    for id in &steps {
        let channel = match pos(id) {
            Some(p) => Some(&trace.steps[p].channel),
            None => evidence.iter().find(|e| e.step == *id).map(|e| &e.channel),
        };
        if let Some(c) = channel
            && !channels.contains(c)
        {
            channels.push(Arc::clone(c));
        }
    }
    if channels.is_empty() {
        for e in &evidence {
            if !channels.contains(&e.channel) {
                channels.push(Arc::clone(&e.channel));
            }
        }
    }
    Finding {
        kind,
        severity: kind.default_severity(),
        journey: Arc::clone(&trace.journey),
        file: Arc::clone(&trace.file),
        step: Arc::clone(step),
        steps,
        channels,
        rule: rule.into(),
        subject,
        message,
        evidence,
        fingerprint: Fingerprint::default(),
    }
}

/// Apply severity overrides, compute fingerprints and sort deterministically by
/// (file, journey, position of `step` in the journey, kind, rule, subject).
fn finish(findings: &mut [Finding], journeys: &[&Journey]) {
    let mut finish = Finish::new(journeys.iter().copied());
    finish.stamp(findings, None);
    finish.sort(findings);
}

/// `finish` in two parts: `stamp` applies severity overrides and fingerprints to findings
/// as they come (grouped by journey, while they are fresh in memory) and puts each run of
/// findings of one (file, journey) in order; `sort` then orders the runs by (file,
/// journey), merging runs of the same journey.
struct Finish<'j> {
    /// Each journey by (file, name); the severities and step positions come from it.
    by_name: foldhash::HashMap<(&'j str, &'j str), &'j Journey>,
    /// Whether no two journeys have the same (file, name): then a journey with a
    /// finding's names is the one `by_name` gives.
    unique: bool,
    /// The journey of the last finding stamped, tried first.
    last: Option<&'j Journey>,
    /// The (file, journey) of the last finding stamped, as shared with its trace, and
    /// its journey: the findings of a trace share them, so each trace's are looked up
    /// once.
    last_names: Option<(Arc<str>, Arc<str>, Option<&'j Journey>)>,
    /// The fingerprint hash of (kind, file, journey) for each kind of `last`.
    starts: [Option<Fnv>; Kind::ALL.len()],
    /// The fingerprint hash of (kind, file) for each file and kind met: the journeys of
    /// a file share it.
    file_starts: foldhash::HashMap<Arc<str>, [Option<Fnv>; Kind::ALL.len()]>,
    /// Per finding stamped: the position of its `step` in its journey (`usize::MAX` when
    /// unknown).
    positions: Vec<usize>,
    /// The runs of findings stamped, in order: where each starts.
    runs: Vec<usize>,
    /// Room reused by `stamp` for the positions of the findings stamped and their order.
    scratch: (Vec<usize>, Vec<usize>),
}

impl<'j> Finish<'j> {
    fn new(journeys: impl Iterator<Item = &'j Journey>) -> Finish<'j> {
        let mut by_name = foldhash::HashMap::with_capacity_and_hasher(
            journeys.size_hint().0,
            foldhash::fast::RandomState::default(),
        );
        let mut unique = true;
        for j in journeys {
            unique &= by_name
                .insert((j.file.as_str(), j.name.as_str()), j)
                .is_none();
        }
        Finish {
            by_name,
            unique,
            last: None,
            last_names: None,
            starts: [None; Kind::ALL.len()],
            file_starts: foldhash::HashMap::default(),
            positions: Vec::new(),
            runs: Vec::new(),
            scratch: (Vec::new(), Vec::new()),
        }
    }

    /// Stamp `findings`, the findings that follow those already stamped, and sort each
    /// run of them. `hint`: the journey they likely are of.
    fn stamp(&mut self, findings: &mut [Finding], hint: Option<&'j Journey>) {
        let (mut positions, mut order) = std::mem::take(&mut self.scratch);
        positions.clear();
        for f in findings.iter_mut() {
            let journey = match &self.last_names {
                Some((file, name, journey))
                    if Arc::ptr_eq(file, &f.file) && Arc::ptr_eq(name, &f.journey) =>
                {
                    *journey
                }
                _ => {
                    let named = |j: &Journey| *j.file == *f.file && *j.name == *f.journey;
                    let journey = match (self.last, hint) {
                        (_, Some(j)) if self.unique && named(j) => Some(j),
                        (Some(j), _) if named(j) => Some(j),
                        _ => self.by_name.get(&(&*f.file, &*f.journey)).copied(),
                    };
                    self.last_names = Some((Arc::clone(&f.file), Arc::clone(&f.journey), journey));
                    journey
                }
            };
            let start = match journey {
                Some(j) => {
                    if !self.last.is_some_and(|l| std::ptr::eq(l, j)) {
                        self.starts = [None; Kind::ALL.len()];
                    }
                    match self.starts[f.kind as usize] {
                        Some(start) => start,
                        None => {
                            let start = self.file_start(f.kind, &f.file).feed(&f.journey);
                            self.starts[f.kind as usize] = Some(start);
                            start
                        }
                    }
                }
                None => Fnv::of_journey(f.kind, &f.file, &f.journey),
            };
            self.last = journey.or(self.last);
            if let Some(j) = journey {
                f.severity = j
                    .severity
                    .get(f.kind.as_str())
                    .copied()
                    .unwrap_or_else(|| f.kind.default_severity());
            }
            f.fingerprint = f.fingerprint_from(start);
            positions.push(
                journey
                    .and_then(|j| j.steps.iter().position(|s| *s.id == *f.step))
                    .unwrap_or(usize::MAX),
            );
        }
        let mut from = 0;
        while from < findings.len() {
            let same =
                |f: &Finding| f.file == findings[from].file && f.journey == findings[from].journey;
            let run = from..from + findings[from..].iter().take_while(|f| same(f)).count();
            let (found, at) = (&findings[run.clone()], &positions[run.clone()]);
            order.clear();
            order.extend(0..run.len());
            order.sort_by(|&a, &b| in_journey_order((&found[a], at[a]), (&found[b], at[b])));
            self.runs.push(self.positions.len());
            self.positions.extend(order.iter().map(|&i| at[i]));
            permute(&mut findings[run.clone()], &mut order);
            from = run.end;
        }
        self.scratch = (positions, order);
    }

    /// The fingerprint hash of (kind, file), computed once for each.
    fn file_start(&mut self, kind: Kind, file: &Arc<str>) -> Fnv {
        if let Some(start) = self.file_starts.get(&**file).and_then(|s| s[kind as usize]) {
            return start;
        }
        let start = Fnv::of_file(kind, file);
        self.file_starts.entry(Arc::clone(file)).or_default()[kind as usize] = Some(start);
        start
    }

    /// `sort` for findings stamped in parts, in the order stamped, joined. When each part
    /// is one run and no two have the same (file, journey), as when each is a journey's,
    /// the parts are moved whole in order; else they are joined and sorted.
    fn sort_parts(self, mut parts: Vec<Vec<Finding>>) -> Vec<Finding> {
        let total = parts.iter().map(Vec::len).sum();
        let mut start = 0;
        let one_run_each = parts.len() == self.runs.len()
            && parts.iter().zip(&self.runs).all(|(part, &run)| {
                let at = start;
                start += part.len();
                run == at && !part.is_empty()
            });
        if one_run_each {
            let pair = |i: usize| (&*parts[i][0].file, &*parts[i][0].journey);
            let mut by_pair: Vec<usize> = (0..parts.len()).collect();
            by_pair.sort_by(|&a, &b| pair(a).cmp(&pair(b)));
            let distinct = by_pair.windows(2).all(|w| pair(w[0]) != pair(w[1]));
            if distinct {
                let mut sorted = Vec::with_capacity(total);
                for i in by_pair {
                    sorted.append(&mut parts[i]);
                }
                return sorted;
            }
        }
        let mut all = Vec::with_capacity(total);
        for mut part in parts {
            all.append(&mut part);
        }
        self.sort(&mut all);
        all
    }

    /// Sort `findings`, all stamped and in the order stamped: as a stable sort by (file,
    /// journey) then `in_journey_order` would.
    fn sort(self, findings: &mut [Finding]) {
        let ends = self.runs.iter().skip(1).copied().chain([findings.len()]);
        let runs: Vec<std::ops::Range<usize>> =
            self.runs.iter().zip(ends).map(|(&a, b)| a..b).collect();
        let pair = |run: &std::ops::Range<usize>| {
            (&*findings[run.start].file, &*findings[run.start].journey)
        };
        let mut by_pair: Vec<usize> = (0..runs.len()).collect();
        by_pair.sort_by(|&a, &b| pair(&runs[a]).cmp(&pair(&runs[b])));
        let mut order: Vec<usize> = Vec::with_capacity(findings.len());
        for group in by_pair.chunk_by(|&a, &b| pair(&runs[a]) == pair(&runs[b])) {
            let start = order.len();
            for &r in group {
                order.extend(runs[r].clone());
            }
            // Runs of the same journey (cross-journey findings) are merged.
            if group.len() > 1 {
                order[start..].sort_by(|&a, &b| {
                    let (pa, pb) = (self.positions[a], self.positions[b]);
                    in_journey_order((&findings[a], pa), (&findings[b], pb))
                });
            }
        }
        permute(findings, &mut order);
    }
}

/// The order of two findings of one journey, each with the position of its step: by
/// position, kind, rule, subject, steps and message.
fn in_journey_order((a, pa): (&Finding, usize), (b, pb): (&Finding, usize)) -> Ordering {
    (pa, a.kind, &a.rule, &a.subject)
        .cmp(&(pb, b.kind, &b.rule, &b.subject))
        .then_with(|| a.steps.cmp(&b.steps))
        .then_with(|| a.message.cmp(&b.message))
}

/// Reorder `items` in place so that position `k` holds what was at `order[k]` (`order`
/// is used up).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..order.len() {
        let mut here = start;
        while order[here] != usize::MAX {
            let from = order[here];
            order[here] = usize::MAX;
            if from == start {
                break;
            }
            items.swap(here, from);
            here = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::testkit::*;
    use super::*;
    use crate::protocol::Status;
    use crate::scenario::model::Severity;

    #[test]
    fn permute_puts_each_item_where_the_order_says() {
        let mut items = vec!['a', 'b', 'c', 'd', 'e'];
        permute(&mut items, &mut [2, 0, 1, 4, 3]);
        assert_eq!(items, vec!['c', 'a', 'b', 'e', 'd']);
        let mut same = vec![1, 2];
        permute(&mut same, &mut [0, 1]);
        assert_eq!(same, vec![1, 2]);
    }

    /// A bare finding for ordering tests.
    fn bare(
        file: &str,
        journey: &str,
        step: &str,
        kind: Kind,
        rule: &'static str,
        msg: &str,
    ) -> Finding {
        Finding {
            kind,
            severity: kind.default_severity(),
            journey: journey.into(),
            file: file.into(),
            step: step.into(),
            steps: vec![step.into()],
            channels: vec![],
            rule: rule.into(),
            subject: None,
            message: msg.into(),
            evidence: vec![],
            fingerprint: Fingerprint::default(),
        }
    }

    #[test]
    fn finish_orders_like_one_stable_sort_of_all_findings() {
        let (mut ja, _) = two_step_clean();
        ja.name = "a".into();
        let (mut jb, _) = two_step_clean();
        jb.name = "b".into();
        let file = ja.file.clone();
        let f = |j: &str, step: &str, kind: Kind, rule: &'static str, msg: &str| {
            bare(&file, j, step, kind, rule, msg)
        };
        // Journey b, then a, then more of b (as cross-journey findings come), with ties
        // (the two "same" findings differ only by where they came from), an unknown step
        // and an unknown journey.
        let mut findings = vec![
            f("b", "s2", Kind::SutError, "timeout", "1"),
            f("b", "s1", Kind::Expectation, "status", "2"),
            f("b", "s1", Kind::RepeatedQuestion, "asked-again", "3"),
            f("a", "s2", Kind::Expectation, "status", "4"),
            f("a", "nowhere", Kind::Expectation, "status", "5"),
            f("a", "s1", Kind::Expectation, "status", "same"),
            f("b", "s1", Kind::Expectation, "status", "same"),
            f("zz", "s1", Kind::SutError, "timeout", "6"),
            f("b", "s1", Kind::Expectation, "status", "same"),
            f("a", "s1", Kind::Expectation, "status", "same"),
        ];
        for (i, f) in findings.iter_mut().enumerate() {
            f.evidence = vec![Evidence {
                step: f.step.clone(),
                channel: "".into(),
                at: "".into(),
                what: format!("finding {i}").into(),
                quote: String::new(),
            }];
        }
        let journeys = [&ja, &jb];
        let position = |f: &Finding| {
            journeys
                .iter()
                .find(|j| *j.name == *f.journey)
                .and_then(|j| j.steps.iter().position(|s| *s.id == *f.step))
                .unwrap_or(usize::MAX)
        };
        let mut expected = findings.clone();
        expected.sort_by(|a, b| {
            (&a.file, &a.journey)
                .cmp(&(&b.file, &b.journey))
                .then_with(|| in_journey_order((a, position(a)), (b, position(b))))
        });
        let mut finish = Finish::new(journeys.into_iter());
        finish.stamp(&mut findings[..4], None);
        finish.stamp(&mut findings[4..], None);
        finish.sort(&mut findings);
        let what = |v: &[Finding]| -> Vec<String> {
            v.iter().map(|f| f.evidence[0].what.to_string()).collect()
        };
        assert_eq!(what(&findings), what(&expected));
    }

    #[test]
    fn a_journey_step_is_found_by_index_or_by_id() {
        let (mut j, t) = two_step_clean();
        assert_eq!(journey_step(&j, &t, 1).map(|s| s.id.as_str()), Some("s2"));
        j.steps.reverse();
        assert_eq!(journey_step(&j, &t, 1).map(|s| s.id.as_str()), Some("s2"));
        assert_eq!(journey_step(&j, &t, 0).map(|s| s.id.as_str()), Some("s1"));
        assert!(journey_step(&j, &t, 2).is_none());
        j.steps.pop();
        assert!(journey_step(&j, &t, 0).is_none());
    }

    #[test]
    fn clean_trace_gives_no_finding() {
        let (journey, trace) = two_step_clean();
        assert_eq!(detect_journey(&journey, &trace), vec![]);
    }

    #[test]
    fn severity_overrides_and_fingerprints_are_applied() {
        let (mut journey, mut trace) = two_step_clean();
        trace.steps[1].continues = Some("s1".into());
        trace.steps[1].turns[0].reply = Ok(reply(Status::UnknownReference));
        journey
            .severity
            .insert("broken-handoff".into(), Severity::Critical);
        let findings = detect_journey(&journey, &trace);
        assert_eq!(findings.len(), 1, "{findings:#?}");
        assert_eq!(findings[0].severity, Severity::Critical);
        assert_eq!(findings[0].fingerprint, findings[0].compute_fingerprint());
        assert_eq!(findings[0].fingerprint.to_string().len(), 16);
    }

    #[test]
    fn fingerprints_ignore_run_ids_and_order_is_deterministic() {
        let (journey, mut trace) = two_step_clean();
        trace.steps[1].continues = Some("s1".into());
        trace.steps[1].turns[0].reply = Ok(reply(Status::UnknownReference));
        trace.steps[0].turns[0].reply =
            Err(crate::engine::trace::SutFault::Timeout { after_ms: 5 });
        let a = detect_journey(&journey, &trace);
        trace.journey_id = "other-run/j".into();
        let b = detect_journey(&journey, &trace);
        assert_eq!(a, b);
        let order: Vec<(&str, Kind)> = a.iter().map(|f| (&*f.step, f.kind)).collect();
        assert_eq!(
            order,
            vec![("s1", Kind::SutError), ("s2", Kind::BrokenHandoff)]
        );
    }

    #[test]
    fn run_adds_cross_journey_findings_sorted_by_file_then_journey() {
        let answering = |name: &str, file: &str, value: i64| {
            let mut s = step("s1", "c1", 1);
            s.subject = Some(vec!["k1".into()]);
            reply_mut(&mut s, 0)
                .answer
                .insert("f".into(), serde_json::json!(value));
            let mut t = trace(vec![s]);
            t.journey = name.into();
            t.file = file.into();
            let j = journey(&t);
            (j, t)
        };
        let (ja, ta) = answering("b-journey", "a.yaml", 1);
        let (jb, tb) = answering("a-journey", "b.yaml", 2);
        let (mut jc, mut tc) = answering("c-journey", "a.yaml", 1);
        tc.steps[0].turns[0].reply = Ok(reply(Status::UnknownReference));
        tc.steps[0].continues = Some("s0".into());
        jc.severity.insert("broken-handoff".into(), Severity::Info);
        let found = detect_run(&[(&jb, &tb), (&ja, &ta), (&jc, &tc)]);
        let got: Vec<(&str, &str, &str, Severity)> = found
            .iter()
            .map(|f| (&*f.file, &*f.journey, &*f.rule, f.severity))
            .collect();
        assert_eq!(
            got,
            vec![
                ("a.yaml", "b-journey", "same-moment", Severity::Major),
                ("a.yaml", "c-journey", "unknown-reference", Severity::Info),
            ]
        );
        assert_eq!(strs(&found[0].steps), ["a-journey/s1", "s1"]);
        let across = detect_across(&[(&jb, &tb), (&ja, &ta), (&jc, &tc)]);
        assert_eq!(across, found[..1].to_vec());

        // Fed one by one in any order, the same findings in the same order.
        for order in [[2, 0, 1], [1, 2, 0], [0, 1, 2]] {
            let traces = [&tb, &ta, &tc];
            let mut detector = RunDetector::new([&jb, &ja, &jc]);
            for index in order {
                detector.add(index, traces[index].clone());
            }
            detector.add(1, ta.clone());
            assert_eq!(detector.finish(), found, "{order:?}");
        }
        // A journey that never comes: the others are still read, in order.
        let mut detector = RunDetector::new([&jb, &ja, &jc]);
        detector.add(2, tc.clone());
        detector.add(1, ta.clone());
        let partial = detector.finish();
        assert_eq!(partial.len(), 1);
        assert_eq!(partial[0].rule, "unknown-reference");
    }
}
