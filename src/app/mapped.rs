//! `--mapping FILE`: the mapping loaded (its problems rendered), the journeys' unrouted
//! intents warned about, and the connector built on it.

use std::io::Write;
use std::path::Path;

use crate::run::Error;
use crate::scenario::model::Journey;
use crate::sut::ClientConfig;
use crate::sut::mapping::{Mapping, MappingConnector};

/// The connector of the mapping at `path` for the SUT at `base`.
pub fn connector(
    path: &Path,
    base: &str,
    config: ClientConfig,
    journeys: &[Journey],
    stderr: &mut dyn Write,
) -> Result<MappingConnector, Error> {
    let env = |name: &str| std::env::var(name).ok();
    let mapping = crate::sut::mapping::load(path, &env).map_err(|failure| {
        let _ = failure.render(stderr);
        Error::Usage("the mapping is not valid".into())
    })?;
    warn_unrouted(&mapping, journeys, stderr);
    MappingConnector::new(mapping, base, config).map_err(Error::Usage)
}

/// Before any request: the (channel, intent) pairs the journeys use that the mapping does
/// not route (each such step will be a `sut-error` naming them).
fn warn_unrouted(mapping: &Mapping, journeys: &[Journey], stderr: &mut dyn Write) {
    let used = journeys
        .iter()
        .flat_map(|j| j.steps.iter())
        .map(|s| (s.channel.as_str(), s.intent.as_str()));
    for (channel, intent) in mapping.unrouted(used) {
        let _ = writeln!(
            stderr,
            "warning: the mapping has no route for intent `{intent}` on channel `{channel}`; those steps will fail"
        );
    }
}
