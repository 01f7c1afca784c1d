//! `catalogue`: the intent catalogue `seam validate` checks journeys against, from its SUT
//! flags (`SutArgs`): a `--target`'s `GET /intents`, the intents a `--mapping` routes, or
//! an `--intents` file; `None` of them: the reference retailer's.

use std::io::Write;
use std::path::Path;

use super::client_args::ClientArgs;
use super::validate_args::SutArgs;
use crate::run::Error;
use crate::scenario::Catalogue;
use crate::scenario::diagnostic::{Sources, render};
use crate::scenario::read::read_text;
use crate::sut::{ClientConfig, Connector, ProtocolClient};

/// What the flags name: `Ok(None)` when the SUT serves every intent (a mapping route for
/// `*`) or publishes no catalogue, so no intent is unknown; `Ok(Some)` the catalogue;
/// `Err` when it cannot be had (problems already written to `stderr`).
pub fn of_sut(
    sut: &SutArgs,
    client: &ClientArgs,
    max_bytes: u64,
    stderr: &mut dyn Write,
) -> Result<Option<Option<Catalogue>>, Error> {
    if let Some(path) = &sut.intents {
        let text = read(path, max_bytes, stderr)?;
        return Ok(Some(Some(Catalogue {
            label: format!("the intents of {}", path.display()),
            intents: intents_file(&text),
        })));
    }
    if let Some(path) = &sut.mapping {
        let text = read(path, max_bytes, stderr)?;
        let file = path.display().to_string();
        // Only the routes are read: a secret the mapping names need not be set here.
        let env = |name: &str| std::env::var(name).ok().or_else(|| Some("unset".into()));
        let mapping = crate::sut::mapping::load_text(&file, &text, &env).map_err(|diags| {
            let sources = Sources::from([(file.clone(), text.clone())]);
            let _ = render(&diags, &sources, stderr);
            Error::Usage("the mapping is not valid".into())
        })?;
        let mut intents: Vec<String> = mapping
            .routes
            .iter()
            .flat_map(|r| r.intents.iter().cloned())
            .collect();
        if intents.iter().any(|i| i == "*") {
            return Ok(Some(None));
        }
        intents.sort();
        intents.dedup();
        return Ok(Some(Some(Catalogue {
            label: format!("the mapping {file}"),
            intents,
        })));
    }
    if let Some(url) = &sut.target {
        if client.insecure {
            let _ = writeln!(stderr, "warning: {}", super::client_args::INSECURE_NOTE);
        }
        return fetch(url, client).map(Some);
    }
    Ok(None)
}

fn read(path: &Path, max_bytes: u64, stderr: &mut dyn Write) -> Result<String, Error> {
    let name = path.display().to_string();
    read_text(path, &name, max_bytes).map_err(|unreadable| {
        let sources = Sources::from([(name.clone(), unreadable.text.unwrap_or_default())]);
        let _ = render(&[unreadable.problem], &sources, stderr);
        Error::Usage(format!("cannot read {name}"))
    })
}

/// The intents of an `--intents` file: one a line, blank lines and `#` comments skipped;
/// a YAML list (`- order.status`) reads the same.
pub fn intents_file(text: &str) -> Vec<String> {
    let mut intents: Vec<String> = text
        .lines()
        .map(|line| line.split_once('#').map_or(line, |(kept, _)| kept).trim())
        .map(|line| line.strip_prefix("- ").unwrap_or(line).trim())
        .map(|line| line.trim_matches(['"', '\'']))
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect();
    intents.sort();
    intents.dedup();
    intents
}

/// The catalogue of the SUT at `url` (`GET /intents`); `None` when it publishes none.
fn fetch(url: &str, client: &ClientArgs) -> Result<Option<Catalogue>, Error> {
    if !(url.starts_with("http://") || url.starts_with("https://")) {
        return Err(Error::Usage(format!(
            "--target `{url}`: expected an http:// or https:// URL"
        )));
    }
    let runtime = super::runtimes::harness()
        .map_err(|e| Error::Usage(format!("cannot start the async runtime: {e}")))?;
    let config = ClientConfig {
        tls: client.tls().map_err(Error::Usage)?,
        ..ClientConfig::default()
    };
    let client = ProtocolClient::new(url, config).map_err(Error::Usage)?;
    runtime
        .block_on(client.check())
        .map_err(Error::Unreachable)?;
    let answer = runtime.block_on(client.intents());
    match answer {
        Ok(Some(served)) => Ok(Some(Catalogue {
            label: format!("the target {url}"),
            intents: served.intents.into_iter().map(|i| i.intent).collect(),
        })),
        Ok(None) => Ok(None),
        Err(fault) => Err(Error::Usage(format!(
            "cannot read the intent catalogue of {url} ({}); the SUT's intents cannot be checked",
            fault.kind()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_intents_file_is_one_a_line_or_a_yaml_list() {
        let text = "# the shop's intents\norder.status\n\n- stock.check  # a list item\n- 'order.create'\norder.status\n";
        assert_eq!(
            intents_file(text),
            ["order.create", "order.status", "stock.check"]
        );
    }
}
