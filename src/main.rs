//! The `seam` command line: parses arguments and calls the library.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: the harness and the embedded retailer allocate many small, short-lived
/// objects per request; it costs less CPU than the system allocator for that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser, Debug)]
#[command(
    name = "seam",
    version,
    about = "Replay cross-channel customer journeys and audit the seams between channels",
    after_help = seam::app::exit::help()
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check scenario files and print every problem with file:line:col.
    Validate(seam::app::validate::ValidateArgs),
    /// Print the JSON Schema of the scenario format (or of mapping files, or of seam.yaml).
    Schema {
        /// Print the schema of HTTP mapping files instead (docs/mappings.md).
        #[arg(long, conflicts_with = "config")]
        mapping: bool,
        /// Print the schema of the project config, seam.yaml, instead (docs/config.md).
        #[arg(long)]
        config: bool,
    },
    /// Replay journeys against a SUT (or the embedded retailer) and report the findings.
    Run(Box<seam::app::run::RunArgs>),
    /// Serve the reference retailer (the touchpoint protocol) until Ctrl-C.
    Serve(seam::app::serve::ServeOptions),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Validate(args) => {
            seam::app::validate::run(&args, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Command::Schema { mapping, config } => {
            use seam::app::schema::Format;
            let format = match (mapping, config) {
                (true, _) => Format::Mapping,
                (_, true) => Format::Config,
                _ => Format::Scenario,
            };
            seam::app::schema::run_of(format, &mut std::io::stdout())
        }
        Command::Run(args) => {
            seam::app::run::run(&args, &mut std::io::stdout(), &mut std::io::stderr())
        }
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "seam", &mut std::io::stdout());
            seam::app::exit::OK
        }
        Command::Serve(options) => match seam::app::serve::run(options, &mut std::io::stdout()) {
            Ok(code) => code,
            Err(e) => {
                eprintln!("error: {e}");
                seam::app::exit::code(e.kind())
            }
        },
    };
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
