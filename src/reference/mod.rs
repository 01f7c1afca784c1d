//! The embedded reference retailer: a real HTTP server speaking the touchpoint protocol,
//! with `siloed` and `unified` profiles built from named seams.

pub mod intents;
