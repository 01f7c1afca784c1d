//! `seam serve`: run the reference retailer until Ctrl-C. Prints the bound address on
//! its first line (`listening on http://ADDR`) so scripts and tests can read it.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use super::exit;
use crate::error::Error;
use crate::reference::{self, Profile, ServerConfig};

/// `seam serve` options, as parsed from the command line.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeOptions {
    /// siloed (every seam broken) or unified (every seam repaired).
    #[arg(long, default_value = "siloed")]
    pub profile: String,
    /// Break one seam (repeatable), after the profile.
    #[arg(long = "break", value_name = "SEAM")]
    pub break_seams: Vec<String>,
    /// Repair one seam (repeatable), after the profile and --break.
    #[arg(long = "fix", value_name = "SEAM")]
    pub fix_seams: Vec<String>,
    /// Port (0: any free port, printed on the first line).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,
    /// Address to bind.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Fixtures directory replacing the embedded one.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// The face to serve: protocol (POST /touchpoints) or rest (per-system endpoints).
    #[arg(long, default_value = "protocol")]
    pub api: String,
}

/// Resolve the profile: the named base, then every `--break`, then every `--fix`.
pub fn resolve_profile(
    name: &str,
    break_seams: &[String],
    fix_seams: &[String],
) -> Result<Profile, Error> {
    let mut profile = Profile::named(name).map_err(|e| Error::Usage(e.to_string()))?;
    for seam in break_seams {
        profile
            .break_seam(seam)
            .map_err(|e| Error::Usage(e.to_string()))?;
    }
    for seam in fix_seams {
        profile
            .fix_seam(seam)
            .map_err(|e| Error::Usage(e.to_string()))?;
    }
    Ok(profile)
}

/// Run the server until Ctrl-C; returns the exit code.
pub fn run(options: ServeOptions, out: &mut dyn Write) -> Result<i32, Error> {
    let profile = resolve_profile(&options.profile, &options.break_seams, &options.fix_seams)?;
    let label = profile.label();
    let api = reference::Api::parse(&options.api).ok_or_else(|| {
        Error::Usage(format!(
            "unknown api `{}`; valid apis: protocol, rest",
            options.api
        ))
    })?;
    let config = ServerConfig {
        profile,
        data: options.data,
        bind: SocketAddr::new(options.bind, options.port),
        api,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Usage(format!("cannot start the runtime: {e}")))?;
    runtime.block_on(async {
        let server = reference::start(config)
            .await
            .map_err(|e| Error::Usage(e.to_string()))?;
        let face = match api {
            reference::Api::Protocol => String::new(),
            reference::Api::Rest => format!(
                ", REST api; POST /auth/login {{\"username\":\"{}\",\"password\":\"{}\"}}",
                reference::rest::USERNAME,
                reference::rest::PASSWORD
            ),
        };
        writeln!(
            out,
            "listening on http://{} (profile {label}{face})",
            server.addr
        )
        .and_then(|()| out.flush())
        .map_err(|e| Error::Usage(e.to_string()))?;
        let _ = tokio::signal::ctrl_c().await;
        server.shutdown().await;
        Ok(exit::OK)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_applies_breaks_then_fixes() {
        let p = resolve_profile("unified", &["notifier".into()], &[]).expect("valid");
        assert_eq!(p.label(), "unified+break:notifier");
        let err = resolve_profile("siloed", &[], &["crm".into()]).expect_err("unknown seam");
        assert!(err.to_string().contains("unknown seam `crm`"), "{err}");
    }
}
