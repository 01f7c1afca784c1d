//! `ClientArgs`: the flags of how Seam reaches a SUT (`--ca-cert`, `--insecure`,
//! `--max-body`), shared by the commands that talk to one, and what they resolve to.

use std::path::PathBuf;

use clap::Args;

use crate::sut::Tls;
use crate::sut::http::DEFAULT_MAX_BODY;

/// What `--insecure` makes every report and stderr say.
pub const INSECURE_NOTE: &str =
    "TLS certificates were not verified (--insecure): anyone on the path could have answered";

/// TLS flags.
#[derive(Debug, Clone, Args)]
pub struct ClientArgs {
    /// Trust the certificates in FILE (PEM: a private CA, or the SUT's own self-signed
    /// certificate); repeatable.
    #[arg(long = "ca-cert", value_name = "FILE")]
    pub ca_certs: Vec<PathBuf>,
    /// Do not verify the SUT's TLS certificate (said on stderr and in every report).
    #[arg(long)]
    pub insecure: bool,
    /// The largest reply body read, after decoding (`512KiB`, `1MiB`, `10MB`, bytes); a
    /// larger one is a `sut-error/too-large` finding.
    #[arg(long, value_name = "SIZE", default_value = "1MiB", value_parser = parse_size)]
    pub max_body: usize,
}

impl Default for ClientArgs {
    fn default() -> Self {
        ClientArgs {
            ca_certs: Vec::new(),
            insecure: false,
            max_body: DEFAULT_MAX_BODY,
        }
    }
}

/// A size in bytes: a number, or one with a unit (`KiB`, `MiB`, `kB`, `MB`...), at least 1.
pub fn parse_size(text: &str) -> Result<usize, String> {
    let size = text
        .parse::<bytesize::ByteSize>()
        .map_err(|_| format!("`{text}`: expected a size such as 512KiB, 1MiB, 10MB or 65536"))?;
    match usize::try_from(size.as_u64()) {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(format!("`{text}`: expected a size of at least 1 byte")),
    }
}

impl ClientArgs {
    /// The trust these flags ask for; an unreadable file or one without a certificate is
    /// an error naming it.
    pub fn tls(&self) -> Result<Tls, String> {
        Tls::from_files(&self.ca_certs, self.insecure)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("1MiB"), Ok(1 << 20));
        assert_eq!(parse_size("512KiB"), Ok(512 << 10));
        assert_eq!(parse_size("10MB"), Ok(10_000_000));
        assert_eq!(parse_size("65536"), Ok(65536));
        for bad in ["", "0", "lots", "1 parsec"] {
            assert!(parse_size(bad).is_err(), "{bad}");
        }
    }
}
