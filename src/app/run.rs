//! `seam run`: resolves the flags (`RunArgs`) and the project config (`seam.yaml`,
//! `config`) into a journey source, a connector, `run::Settings` and reporters, runs the
//! `run::Session` (stopped by SIGINT or SIGTERM, `signals`), and turns its outcome into
//! the exit code. The pipeline itself is the library's (`crate::run`).

use std::io::Write;

use super::client_args::INSECURE_NOTE;
use super::exit;
pub use super::run_args::{ReportTarget, RunArgs};
use super::run_args::{name_glob, select};
use super::runtimes::EmbeddedRetailer;
use super::signals::Signals;
use crate::rules::Knowledge;
use crate::run::{Baseline, Compared, Error, RunOutcome, Scripted, Session, Settings, Stop};
use crate::scenario::model::Journey;
use crate::sut::{ClientConfig, Connector, ProtocolClient};

pub use crate::run::REPORT_SCHEMA;

/// Runs the command and returns the exit code.
pub fn run(args: &RunArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    match load(args, stdout, stderr) {
        Ok(code) => code,
        Err(e) => failed(&e, stderr),
    }
}

fn failed(e: &Error, stderr: &mut dyn Write) -> i32 {
    let _ = writeln!(stderr, "error: {e}");
    exit::code(e.kind())
}

/// Load and select the journeys, then run them (or list them).
fn load(args: &RunArgs, stdout: &mut dyn Write, stderr: &mut dyn Write) -> Result<i32, Error> {
    args.check().map_err(usage)?;
    let options = crate::scenario::load::LoadOptions {
        max_file_bytes: args.max_file_size,
    };
    let loaded = crate::scenario::load::load_with(
        &args.paths,
        &super::vocabulary::for_run(args.target.as_deref()),
        options,
    );
    if !loaded.diagnostics.is_empty() {
        let _ = crate::scenario::diagnostic::render(&loaded.diagnostics, &loaded.sources, stderr);
    }
    if loaded.has_errors() {
        return Ok(exit::USAGE);
    }
    let name = args
        .name
        .as_deref()
        .map(name_glob)
        .transpose()
        .map_err(usage)?;
    let journeys = select(loaded.journeys, &args.tags, name.as_ref());
    if args.list {
        super::run_args::list(&journeys, stdout);
        return Ok(exit::OK);
    }
    if journeys.is_empty() {
        return Err(usage("no journey matches the given paths, tags and name"));
    }
    let signals = Signals::listen()
        .map_err(|e| usage(format!("cannot listen to SIGINT and SIGTERM: {e}")))?;
    let runtime = super::runtimes::harness()
        .map_err(|e| usage(format!("cannot start the async runtime: {e}")))?;
    Ok(runtime.block_on(execute_with(journeys, args, Some(&signals), stdout, stderr)))
}

/// Replay `journeys` (loaded and selected) as `args` say; returns the exit code. No
/// signal stops it (`seam run` itself listens, `execute_with`).
pub async fn execute(
    journeys: Vec<Journey>,
    args: &RunArgs,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    execute_with(journeys, args, None, stdout, stderr).await
}

/// `execute`, stopped by the first of `signals`, whose code then wins (`exit`).
pub async fn execute_with(
    journeys: Vec<Journey>,
    args: &RunArgs,
    signals: Option<&Signals>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> i32 {
    let stop = signals.map(Signals::stop);
    let outcome = match replay(journeys, args, stop, stdout, stderr).await {
        Ok(outcome) => outcome,
        Err(e) => return failed(&e, stderr),
    };
    for e in &outcome.errors {
        let _ = writeln!(stderr, "error: {e}");
    }
    if outcome.sut_down {
        let e = Error::SutDown {
            target: outcome.report.target.clone(),
        };
        let _ = writeln!(stderr, "error: {e}");
    }
    let report = &outcome.report;
    if let Some(signal) = &report.signal {
        let _ = writeln!(
            stderr,
            "seam: interrupted by {signal}: {} steps not sent, {} abandoned; every report was written",
            report.not_sent_steps(),
            report.abandoned.len()
        );
    } else if report.incomplete {
        let (head, tail) = match report.allow_incomplete {
            true => ("note", " (allowed: judged by the findings)"),
            false => (
                "error",
                " (--allow-incomplete judges such a run by its findings)",
            ),
        };
        let _ = writeln!(
            stderr,
            "{head}: incomplete: the deadline left {} steps unsent and {} abandoned{tail}",
            report.not_sent_steps(),
            report.abandoned.len(),
        );
    }
    let signal = signals
        .and_then(Signals::first)
        .map(super::signals::Signal::code);
    exit::of_outcome(&outcome, signal)
}

fn usage(message: impl Into<String>) -> Error {
    Error::Usage(message.into())
}

/// Start what `args` ask for (the embedded retailer, a connector, the reporters) and run
/// the session on `journeys`.
async fn replay(
    journeys: Vec<Journey>,
    args: &RunArgs,
    stop: Option<&Stop>,
    stdout: &mut dyn Write,
    stderr: &mut dyn Write,
) -> Result<RunOutcome, Error> {
    let baseline = args
        .baseline
        .as_deref()
        .map(Baseline::read)
        .transpose()
        .map_err(usage)?;
    let compare = args
        .compare
        .as_deref()
        .map(Compared::read)
        .transpose()
        .map_err(usage)?;
    let project = super::config::load(&args.config, stderr)?;
    let (base, mut target, server) = match &args.target {
        Some(url) => (url.clone(), url.clone(), None),
        None => {
            let profile = args.profile.as_deref().unwrap_or("siloed");
            let (server, label) =
                EmbeddedRetailer::start_profile(profile, &args.break_seams, &args.fix_seams)
                    .await
                    .map_err(usage)?;
            (format!("http://{}", server.addr()), label, Some(server))
        }
    };
    let config = ClientConfig {
        timeout: args.timeout,
        pool: args.jobs,
        max_body: args.max_body,
        tls: args.client.tls().map_err(usage)?,
        ..ClientConfig::default()
    };
    let mut notes = Vec::new();
    let (mut knowledge, rules) = match project {
        Some(config) => {
            notes.push(config.note());
            (config.knowledge, config.rules)
        }
        None => (Knowledge::default(), Vec::new()),
    };
    if let Some(window) = args.outbox_window {
        knowledge.outbox_window = window;
    }
    if args.client.insecure {
        let _ = writeln!(stderr, "warning: {INSECURE_NOTE}");
        notes.push(INSECURE_NOTE.to_string());
    }
    let mapping = match &args.mapping {
        Some(path) => {
            let connector =
                super::mapped::connector(path, &base, config.clone(), &journeys, stderr)?;
            target = connector.redact_text(&target);
            Some(connector)
        }
        None => None,
    };
    let settings = Settings {
        target,
        jobs: args.jobs,
        run_id: args
            .run_id
            .clone()
            .unwrap_or_else(|| format!("r-{:08x}", rand::random::<u32>())),
        deadline: Some(args.deadline),
        stop: stop.cloned(),
        grace: crate::engine::STOP_GRACE,
        allow_incomplete: args.allow_incomplete,
        fail_on: args.fail_on,
        baseline,
        notes,
        knowledge,
        rules,
        compare,
    };
    let source = Scripted::new(journeys);
    let outcome = match mapping {
        Some(connector) => run_on(&connector, source, settings, args, stdout).await,
        None => {
            let client = ProtocolClient::new(&base, config).map_err(usage)?;
            run_on(&client, source, settings, args, stdout).await
        }
    };
    if let Some(server) = server {
        server.stop().await;
    }
    outcome
}

/// Checks that `connector` can be trusted, then writes the reporters' files (a path that
/// cannot be written stops the run before any step) and runs the session.
async fn run_on<C: Connector>(
    connector: &C,
    mut source: Scripted,
    settings: Settings,
    args: &RunArgs,
    stdout: &mut dyn Write,
) -> Result<RunOutcome, Error> {
    connector.check().await.map_err(Error::Unreachable)?;
    let mut session = Session::new(settings);
    for reporter in super::run_outputs::reporters(args, stdout)? {
        session = session.with_boxed_reporter(reporter);
    }
    Ok(session.run(&mut source, connector).await)
}
