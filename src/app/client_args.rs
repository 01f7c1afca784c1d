//! `ClientArgs`: the TLS flags of the commands that talk to a SUT (`seam run`, `seam
//! validate --target`): `--ca-cert`, `--insecure`, and what they resolve to (`sut::Tls`).

use std::path::PathBuf;

use clap::Args;

use crate::sut::Tls;

/// What `--insecure` makes every report and stderr say.
pub const INSECURE_NOTE: &str =
    "TLS certificates were not verified (--insecure): anyone on the path could have answered";

/// TLS flags.
#[derive(Debug, Clone, Default, Args)]
pub struct ClientArgs {
    /// Trust the certificates in FILE (PEM: a private CA, or the SUT's own self-signed
    /// certificate); repeatable.
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_certs: Vec<PathBuf>,
    /// Do not verify the SUT's TLS certificate (said on stderr and in every report).
    #[arg(long)]
    pub insecure: bool,
}

impl ClientArgs {
    /// The trust these flags ask for; an unreadable file or one without a certificate is
    /// an error naming it.
    pub fn tls(&self) -> Result<Tls, String> {
        Tls::from_files(&self.ca_certs, self.insecure)
    }
}
