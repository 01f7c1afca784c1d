//! `Session`: one run, from resolved `Settings`: pulls journeys from a `JourneySource`,
//! replays them through a `Connector` (engine), turns each trace into a `Conversation`,
//! applies the `RuleSet` (`rules::Audit`), streams `Event`s to every `Reporter` as it
//! goes, and returns the `RunOutcome`. No trace or conversation outlives its journey.

use std::cell::RefCell;
use std::time::Duration;

use crate::conversation;
use crate::engine::{self, RunOptions, STOP_GRACE, Stop, run_each};
use crate::error::Error;
use crate::rules::finding::Severity;
use crate::rules::{Audit, Expectations, Knowledge, Policy, RuleSet};
use crate::run::baseline::Baseline;
use crate::run::event::{Event, Reporter};
use crate::run::outcome::{JourneyReport, REPORT_SCHEMA, RunOutcome, RunReport};
use crate::run::scorecard::{Compared, Scores};
use crate::run::source::JourneySource;
use crate::run::unsent::Unsent;
use crate::sut::Connector;

/// The note of a run whose connector reads no outbox.
pub const NO_OUTBOX: &str = "promises unchecked: the mapping has no outbox";

/// How a run is carried out, resolved from the command line (or built by a test).
#[derive(Debug, Clone)]
pub struct Settings {
    /// What is tested, as reports name it (`reference:siloed`, a URL).
    pub target: String,
    /// Journeys replayed at once.
    pub jobs: usize,
    /// Prefix of the journey ids sent to the SUT.
    pub run_id: String,
    /// After this long nothing more is sent and what is in flight is abandoned.
    pub deadline: Option<Duration>,
    /// Stops the run from outside (`seam run` stops it on SIGINT and SIGTERM): nothing
    /// more is sent, what is in flight gets `grace`, and the reports say `interrupted`.
    pub stop: Option<Stop>,
    /// How long requests in flight get to finish after a stop.
    pub grace: Duration,
    /// An incomplete run (steps not sent) is judged by its findings.
    pub allow_incomplete: bool,
    /// Findings at or above this severity fail the run.
    pub fail_on: Severity,
    /// Known findings to hide.
    pub baseline: Option<Baseline>,
    /// What the run could not check, for every report.
    pub notes: Vec<String>,
    /// What the rules know before the SUT answers: `seam.yaml`'s catalogue overrides,
    /// targets and thresholds (the SUT's own catalogue goes under the overrides).
    pub knowledge: Knowledge,
    /// Rule settings by id or family from `seam.yaml` (`None`: off), under each
    /// scenario's own.
    pub rules: Vec<(String, Option<Severity>)>,
    /// An earlier report's scorecard to show this run's against (`--compare`).
    pub compare: Option<Compared>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            target: String::new(),
            jobs: engine::runner::DEFAULT_JOBS,
            run_id: "run".into(),
            deadline: None,
            stop: None,
            grace: STOP_GRACE,
            allow_incomplete: false,
            fail_on: Severity::Minor,
            baseline: None,
            notes: Vec::new(),
            knowledge: Knowledge::default(),
            rules: Vec::new(),
            compare: None,
        }
    }
}

/// One run: settings, rules and reporters.
pub struct Session<'r> {
    settings: Settings,
    rules: RuleSet,
    reporters: Vec<Box<dyn Reporter + 'r>>,
}

/// The reporters of a running session, each stopped at its first error.
struct Reporters<'r> {
    reporters: Vec<Option<Box<dyn Reporter + 'r>>>,
    errors: Vec<Error>,
}

impl Reporters<'_> {
    fn send(&mut self, event: &Event<'_>) {
        for slot in &mut self.reporters {
            if let Some(reporter) = slot
                && let Err(e) = reporter.on_event(event)
            {
                self.errors.push(e);
                *slot = None;
            }
        }
    }

    fn finish(&mut self) {
        for reporter in self.reporters.iter_mut().flatten() {
            if let Err(e) = reporter.finish() {
                self.errors.push(e);
            }
        }
    }
}

impl<'r> Session<'r> {
    /// A session with every standard rule and no reporter.
    pub fn new(settings: Settings) -> Session<'r> {
        Session {
            settings,
            rules: RuleSet::standard(),
            reporters: Vec::new(),
        }
    }

    /// Apply `rules` instead of the standard set.
    pub fn with_rules(mut self, rules: RuleSet) -> Session<'r> {
        self.rules = rules;
        self
    }

    /// Add a reporter: it gets every event of the run.
    pub fn with_reporter(mut self, reporter: impl Reporter + 'r) -> Session<'r> {
        self.reporters.push(Box::new(reporter));
        self
    }

    /// Add a boxed reporter.
    pub fn with_boxed_reporter(mut self, reporter: Box<dyn Reporter + 'r>) -> Session<'r> {
        self.reporters.push(reporter);
        self
    }

    /// Replay every journey of `source` against `sut` and report. Never panics on what
    /// the SUT does; a reporter that fails is in `RunOutcome::errors`. When the deadline
    /// passes or `settings.stop` stops the run, the journeys left are not started (they
    /// are drained from `source` into `not_sent`) and the run is reported on what was
    /// replayed.
    pub async fn run<C: Connector>(self, source: &mut dyn JourneySource, sut: &C) -> RunOutcome {
        let Session {
            mut settings,
            rules,
            reporters,
        } = self;
        let reporters = RefCell::new(Reporters {
            reporters: reporters.into_iter().map(Some).collect(),
            errors: Vec::new(),
        });
        let send = |event: &Event<'_>| reporters.borrow_mut().send(event);
        let planned = source.planned();
        send(&Event::RunStarted {
            target: &settings.target,
            journeys: planned.map(|p| p.journeys),
            steps: planned.map(|p| p.steps),
        });
        let outbox = sut.reads_outbox();
        if !outbox {
            settings.notes.push(NO_OUTBOX.to_string());
        }
        let know = knowledge(&settings, sut).await;
        settings.notes.extend(know.rules.unchecked());
        let options = RunOptions {
            jobs: settings.jobs,
            run_id: settings.run_id.clone(),
            deadline: settings.deadline,
            stop: settings.stop.clone(),
            grace: settings.grace,
            catalogue: Some(know.served.clone()),
            outbox_window: Some(know.rules.outbox_window),
        };
        let know = know.rules;
        let replay_sink = |e: &engine::Event<'_>| send(&Event::Replay(e));
        let mut audit = Audit::new(&rules, &know);
        let mut journeys: Vec<Option<JourneyReport>> = Vec::new();
        let mut unsent = Unsent::default();
        let mut scores = Scores::default();
        let pulled = std::iter::from_fn(|| source.next_journey());
        let summary = run_each(
            pulled,
            sut,
            &options,
            &replay_sink,
            |index, journey, mut trace| {
                if !outbox {
                    trace.outbox_reads.clear();
                }
                send(&Event::JourneyReplayed {
                    index,
                    trace: &trace,
                });
                unsent.replayed(index, &trace);
                let turns = trace.steps.iter().flat_map(|s| &s.turns);
                let report = JourneyReport {
                    name: journey.name.clone(),
                    file: journey.file.clone(),
                    tags: journey.tags.clone(),
                    steps: journey.steps.len(),
                    step_ids: journey.steps.iter().map(|s| s.id.clone()).collect(),
                    touchpoints: turns.clone().count() as u64,
                    faults: turns.filter(|t| t.reply.is_err()).count() as u64,
                    elapsed_ms: trace.elapsed_ms,
                };
                let conversation = conversation::scripted(trace, &journey);
                let expect = Expectations::of(&journey);
                let policy = Policy::layered(&settings.rules, &journey);
                let findings = audit.journey(index, &conversation, Some(expect), policy);
                scores.journey(&conversation, findings, &know);
                send(&Event::JourneyFinished {
                    index,
                    journey: &report,
                    conversation: &conversation,
                    findings,
                });
                if journeys.len() <= index {
                    journeys.resize(index + 1, None);
                }
                journeys[index] = Some(report);
            },
        )
        .await;
        if summary.cut.is_some() {
            let mut index = summary.started;
            while let Some(journey) = source.next_journey() {
                unsent.never_started(index, &journey);
                index += 1;
            }
        }
        let audited = audit.finish();
        send(&Event::RunFindings {
            across: &audited.across,
            findings: &audited.findings,
        });
        let (findings, baselined) = match &settings.baseline {
            Some(b) => b.filter(audited.findings),
            None => (audited.findings, 0),
        };
        let sut_down = summary.touchpoints > 0 && !summary.sut_answered;
        let signal = settings
            .stop
            .as_ref()
            .filter(|s| s.is_stopped())
            .map(|s| s.reason().unwrap_or("stop").to_string());
        let incomplete = !unsent.is_empty();
        let (not_sent, abandoned) = unsent.into_lists();
        let report = RunReport {
            schema: REPORT_SCHEMA,
            target: settings.target,
            fail_on: settings.fail_on,
            interrupted: signal.is_some(),
            signal,
            incomplete,
            allow_incomplete: settings.allow_incomplete,
            journeys: journeys.into_iter().flatten().collect(),
            findings,
            baselined,
            touchpoints: summary.touchpoints,
            elapsed_ms: summary.elapsed_ms,
            notes: settings.notes,
            not_sent,
            abandoned,
            scorecard: scores.scorecard(),
            compared: settings.compare,
        };
        let mut outcome = RunOutcome {
            report,
            sut_down,
            errors: Vec::new(),
        };
        let mut reporters = reporters.into_inner();
        reporters.send(&Event::RunFinished { outcome: &outcome });
        reporters.finish();
        outcome.errors = reporters.errors;
        outcome
    }
}

/// The SUT's catalogue as served, and the rules' knowledge: that catalogue under the
/// settings' overrides.
struct Known {
    served: Option<crate::catalogue::Catalogue>,
    rules: Knowledge,
}

/// Reads the SUT's catalogue (unless the run is already stopped) and lays the settings'
/// overrides on it.
async fn knowledge<C: Connector>(settings: &Settings, sut: &C) -> Known {
    let deadline = settings.deadline.map(|d| std::time::Instant::now() + d);
    let cutoff = engine::Cutoff::new(settings.stop.clone(), deadline, settings.grace);
    let served = match cutoff.cut() {
        Some(_) => None,
        None => engine::read_catalogue(sut, &cutoff).await,
    };
    let mut rules = settings.knowledge.clone();
    rules.catalogue = match (served.clone(), &settings.knowledge.catalogue) {
        (Some(mut base), Some(over)) => {
            base.overlay(over);
            Some(base)
        }
        (base, over) => base.or_else(|| over.clone()),
    };
    Known { served, rules }
}
