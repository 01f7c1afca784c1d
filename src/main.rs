//! The `seam` command line: parses arguments and calls the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "seam",
    version,
    about = "Replay cross-channel customer journeys and audit the seams between channels"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check scenario files and print every problem with file:line:col.
    Validate {
        /// Scenario files or directories (searched recursively for .yaml/.yml).
        #[arg(default_value = "scenarios")]
        paths: Vec<PathBuf>,
    },
    /// Print the JSON Schema of the scenario format.
    Schema,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate { paths } => {
            seam::app::validate::run(&paths, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Command::Schema => seam::app::schema::run(&mut std::io::stdout()),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
