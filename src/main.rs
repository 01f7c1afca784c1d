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
    /// Replay journeys against a SUT (or the embedded retailer) and report the findings.
    Run(Box<seam::app::run::RunArgs>),
    /// Serve the reference retailer (the touchpoint protocol) until Ctrl-C.
    Serve {
        /// siloed (every seam broken) or unified (every seam repaired).
        #[arg(long, default_value = "siloed")]
        profile: String,
        /// Break one seam (repeatable), after the profile.
        #[arg(long = "break", value_name = "SEAM")]
        break_seams: Vec<String>,
        /// Repair one seam (repeatable), after the profile and --break.
        #[arg(long = "fix", value_name = "SEAM")]
        fix_seams: Vec<String>,
        /// Port (0: any free port, printed on the first line).
        #[arg(long, default_value_t = 8787)]
        port: u16,
        /// Address to bind.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Fixtures directory replacing the embedded one.
        #[arg(long)]
        data: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate { paths } => {
            seam::app::validate::run(&paths, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Command::Schema => seam::app::schema::run(&mut std::io::stdout()),
        Command::Run(args) => {
            seam::app::run::run(&args, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Command::Serve {
            profile,
            break_seams,
            fix_seams,
            port,
            bind,
            data,
        } => {
            let options = seam::app::serve::ServeOptions {
                profile,
                break_seams,
                fix_seams,
                port,
                bind,
                data,
            };
            match seam::app::serve::run(options, &mut std::io::stdout()) {
                Ok(code) => code,
                Err(e) => {
                    eprintln!("error: {e}");
                    seam::app::exit::USAGE
                }
            }
        }
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
