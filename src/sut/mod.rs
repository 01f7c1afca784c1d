//! SUT connectors: how a touchpoint reaches a system under test.
