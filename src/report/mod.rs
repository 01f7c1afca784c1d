//! Reports: one module per format, each a consumer of the run's results.
