//! `ConfigArgs`: which project config `seam run` and `seam validate` use (`--config FILE`,
//! `--no-config`, or the `seam.yaml` nearest the current folder), and `load`, that config
//! loaded with its problems rendered.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::config::Config;
use crate::run::Error;

/// The project config flags.
#[derive(Debug, Clone, Default, Args)]
pub struct ConfigArgs {
    /// The project config to use [default: the seam.yaml in the current folder or the
    /// nearest folder above it].
    #[arg(long = "config", id = "config", value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// Use no project config: no seam.yaml is looked for.
    #[arg(long = "no-config", id = "no_config", conflicts_with = "config")]
    pub none: bool,
}

impl ConfigArgs {
    /// The config file these flags choose, if any.
    pub fn path(&self) -> Option<PathBuf> {
        match (&self.file, self.none) {
            (Some(file), _) => Some(file.clone()),
            (None, true) => None,
            (None, false) => crate::config::find(Path::new(".")),
        }
    }
}

/// The config `args` choose, loaded; when it is not valid, its diagnostics are written to
/// `stderr` and the error is a usage error.
pub fn load(args: &ConfigArgs, stderr: &mut dyn Write) -> Result<Option<Config>, Error> {
    let Some(path) = args.path() else {
        return Ok(None);
    };
    crate::config::load(&path).map(Some).map_err(|failure| {
        let _ = failure.render(stderr);
        Error::Usage(format!("the config {} is not valid", path.display()))
    })
}
