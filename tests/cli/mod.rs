//! The real binary run as a user runs it, and what it printed.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// A finished run: exit code and both streams.
pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Outcome {
    fn from(output: Output) -> Self {
        Outcome {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        }
    }
}

/// `seam ARGS` from the repository root.
pub fn seam(args: &[&str]) -> Outcome {
    seam_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// `seam ARGS` from `dir`.
pub fn seam_in(dir: &Path, args: &[&str]) -> Outcome {
    Command::new(env!("CARGO_BIN_EXE_seam"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the seam binary runs")
        .into()
}
