//! `contract-mock`: a stateful mock server of every provider in `specs/`, answering from the
//! contract itself (requests checked by [`contract::check::Contract`], documented examples or
//! schema-generated bodies, card lifecycles from scenario files). It depends on the `contract`
//! library and never the other way round, so the library stays free of tokio and hyper.

pub mod cli;
pub mod fake;
pub mod har;
pub mod provider;
pub mod scenario;
pub mod server;

pub use provider::Provider;
pub use server::{Config, Latency, Running, start};
