//! `RunArgs`: the raw flags of `seam run` (clap), and `Settings`, what they resolve to
//! (durations, report targets, name pattern), plus the journey filters.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use super::client_args::ClientArgs;
use super::config::ConfigArgs;
use super::size::{parse_bytes, parse_size};
use crate::engine::runner::DEFAULT_JOBS;
use crate::report::terminal::ColorChoice;
use crate::report::{self, Format};
use crate::rules::finding::Severity;
use crate::scenario::model::Journey;

/// `seam run [PATHS...]`
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Scenario files or directories (searched recursively for .yaml/.yml).
    #[arg(default_value = "scenarios")]
    pub paths: Vec<PathBuf>,
    /// URL of a SUT speaking the touchpoint protocol; without it the reference retailer runs in-process.
    #[arg(long, value_name = "URL")]
    pub target: Option<String>,
    /// A mapping file (docs/mappings.md) to drive a --target that does not speak the protocol.
    #[arg(long, value_name = "FILE", requires = "target")]
    pub mapping: Option<PathBuf>,
    #[command(flatten)]
    pub client: ClientArgs,
    /// Profile of the embedded reference retailer: siloed or unified [default: siloed].
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<String>,
    /// Break one seam of the embedded retailer (after the profile); repeatable.
    #[arg(long = "break", value_name = "SEAM")]
    pub break_seams: Vec<String>,
    /// Repair one seam of the embedded retailer (after the profile); repeatable.
    #[arg(long = "fix", value_name = "SEAM")]
    pub fix_seams: Vec<String>,
    /// Journeys replayed at once.
    #[arg(long, default_value_t = DEFAULT_JOBS, value_parser = parse_jobs)]
    pub jobs: usize,
    /// Per-request timeout (`500ms`, `5s`, `1m`).
    #[arg(long, default_value = "5s", value_parser = parse_duration)]
    pub timeout: Duration,
    /// The largest reply body read, after decoding (`512KiB`, `1MiB`, `10MB`, bytes); a
    /// larger one is a `sut-error/too-large` finding, read no further.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: usize,
    /// Scenario files larger than this are refused, unread (`512KiB`, `64MiB`, bytes).
    #[arg(long, value_name = "SIZE", default_value = "64MiB", value_parser = parse_bytes)]
    pub max_file_size: u64,
    /// Overall deadline: after it nothing more is sent and requests in flight are
    /// abandoned; a run it cut short is incomplete (exit 3).
    #[arg(long, default_value = "10m", value_parser = parse_duration)]
    pub deadline: Duration,
    /// Judge a run the deadline cut short by its findings instead of failing it (a run
    /// that replayed nothing still fails).
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Only journeys with this tag; repeatable (any of them).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only journeys whose name matches this glob (`*`, `?`, `[abc]`, `{a,b}`).
    #[arg(long, value_name = "PATTERN")]
    pub name: Option<String>,
    /// Print the journeys that would run, and exit.
    #[arg(long)]
    pub list: bool,
    /// Write a report: `json=PATH`, `junit=PATH`, `text=PATH` or `markdown=PATH` (a pull-request comment); repeatable.
    #[arg(long = "report", value_name = "FORMAT=PATH", value_parser = parse_report)]
    pub reports: Vec<ReportTarget>,
    /// Findings at or above this severity fail the run (info, minor, major, critical).
    #[arg(long, default_value = "minor", value_name = "SEVERITY")]
    pub fail_on: Severity,
    /// Report only findings whose fingerprint is not in this file (a baseline or a JSON report).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Show the scorecard's change since the earlier JSON report FILE.
    #[arg(long, value_name = "FILE")]
    pub compare: Option<PathBuf>,
    /// Write the fingerprints of this run's findings to FILE.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// No progress bar (it is shown only on a terminal, and never on CI).
    #[arg(long)]
    pub no_progress: bool,
    /// Colour the summary: auto (on a terminal, unless NO_COLOR is set), always or never.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Run id prefixed to the journey ids sent to the SUT [default: random].
    #[arg(long, value_name = "ID")]
    pub run_id: Option<String>,
    /// Write every journey's trace (each request, reply, timing and outbox read) to FILE,
    /// one JSON object per line.
    #[arg(long, value_name = "FILE")]
    pub trace: Option<PathBuf>,
    #[command(flatten)]
    pub config: ConfigArgs,
    /// How long after a journey's last step its outbox is read (`10d`, `36h`), over
    /// seam.yaml's `outbox.window` [default: 10d].
    #[arg(long, value_name = "DURATION", value_parser = parse_window)]
    pub outbox_window: Option<chrono::TimeDelta>,
}

impl RunArgs {
    /// Flags that cannot go together, or a target that is not a URL.
    pub fn check(&self) -> Result<(), String> {
        let embedded =
            self.profile.is_some() || !self.break_seams.is_empty() || !self.fix_seams.is_empty();
        if self.target.is_some() && embedded {
            return Err("--profile, --break and --fix configure the embedded retailer; they cannot go with --target".into());
        }
        match &self.target {
            Some(t) if !(t.starts_with("http://") || t.starts_with("https://")) => Err(format!(
                "--target `{t}`: expected an http:// or https:// URL"
            )),
            _ => Ok(()),
        }
    }
}

/// One `--report FORMAT=PATH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportTarget {
    pub format: Format,
    pub path: PathBuf,
}

/// `FORMAT=PATH`.
pub fn parse_report(text: &str) -> Result<ReportTarget, String> {
    let (format, path) = report::parse_target(text)?;
    Ok(ReportTarget { format, path })
}

/// A number of jobs, at least 1.
pub fn parse_jobs(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{text}`: expected a number of jobs, at least 1")),
    }
}

/// `250ms`, `5s`, `10m`, `1h`, or a combination (`1m30s`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("`{text}`: expected a duration such as 500ms, 5s, 10m or 1h");
    // Milliseconds are for timeouts only; everything else reads like a scenario duration.
    if let Some(ms) = text.trim().strip_suffix("ms") {
        return ms.parse().map(Duration::from_millis).map_err(|_| bad());
    }
    crate::scenario::duration::parse_duration(text)
        .ok()
        .and_then(|d| d.to_std().ok())
        .ok_or_else(bad)
}

/// A scenario duration (`10d`, `36h`, `1w`), as `seam.yaml` writes it.
pub fn parse_window(text: &str) -> Result<chrono::TimeDelta, String> {
    crate::scenario::duration::parse_duration(text)
        .map_err(|e| format!("{e}; {}", crate::scenario::duration::DURATION_HINT))
}

/// The `--name` glob (`*`, `?`, `[abc]`, `{a,b}`), or why it is not one.
pub fn name_glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::Glob::new(pattern)
        .map(|glob| glob.compile_matcher())
        .map_err(|e| format!("--name {pattern:?} is not a glob: {e}"))
}

/// `--list`: one line a journey (file, name, steps, tags).
pub fn list(journeys: &[Journey], out: &mut dyn std::io::Write) {
    for j in journeys {
        let tags = match j.tags.is_empty() {
            true => String::new(),
            false => format!(" [{}]", j.tags.join(", ")),
        };
        let _ = writeln!(
            out,
            "{}: {} ({} steps){tags}",
            j.file,
            j.name,
            j.steps.len()
        );
    }
}

/// Keep the journeys with any of `tags` (all when none) whose name matches `name`.
pub fn select(
    journeys: Vec<Journey>,
    tags: &[String],
    name: Option<&globset::GlobMatcher>,
) -> Vec<Journey> {
    journeys
        .into_iter()
        .filter(|j| tags.is_empty() || j.tags.iter().any(|t| tags.contains(t)))
        .filter(|j| name.is_none_or(|glob| glob.is_match(&j.name)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(Duration::from_millis(500)));
        assert_eq!(parse_duration("5s"), Ok(Duration::from_secs(5)));
        assert_eq!(parse_duration("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_duration("1h30m"), Ok(Duration::from_secs(5400)));
        for bad in ["", "5", "s", "5x", "-1s", "1.5s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        assert_eq!(parse_window("10d"), Ok(chrono::TimeDelta::days(10)));
        assert!(parse_window("10 days").is_err_and(|e| e.contains("`20m`, `2d`")));
    }

    #[test]
    fn report_targets() {
        assert_eq!(
            parse_report("junit=out/seam.xml"),
            Ok(ReportTarget {
                format: Format::Junit,
                path: PathBuf::from("out/seam.xml")
            })
        );
        assert!(parse_report("html=x").is_err());
        assert!(parse_report("json").is_err());
        assert!(parse_report("json=").is_err());
    }

    #[test]
    fn globs() {
        let matches = |pattern: &str, name: &str| name_glob(pattern).map(|g| g.is_match(name));
        assert_eq!(matches("store-*", "store-order-finishes-on-web"), Ok(true));
        assert_eq!(matches("*web", "store-order-finishes-on-web"), Ok(true));
        assert_eq!(matches("b?nk*", "bank-asked-three-times"), Ok(true));
        assert_eq!(matches("{bank,store}-*", "store-x"), Ok(true));
        assert_eq!(matches("*", ""), Ok(true));
        assert_eq!(matches("store-*", "bank"), Ok(false));
        assert_eq!(matches("?", ""), Ok(false));
        assert!(name_glob("store-[").is_err());
    }
}
