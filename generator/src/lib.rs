//! `contract`: OpenAPI 3.0 contracts for card-issuer APIs, checked and turned into Rust crates.
//!
//! The pipeline for checking a message is:
//! [`spec::Spec::load`] (YAML → lossless JSON document + typed [`openapiv3::OpenAPI`]) →
//! [`check::Contract`] (routes, operations, messages) → [`spec::convert`] (OpenAPI 3.0 schema →
//! JSON Schema 2020-12) → the `jsonschema` crate → [`check::report::Report`].
//!
//! ```no_run
//! use contract::check::{contract::Contract, message::{Request, Response}};
//! let contract = Contract::load("specs/upmoney.yaml").unwrap();
//! let body = serde_json::json!({ "activationCode": "123456" });
//! let report = contract
//!     .validate_request(&Request::new("POST", "/cards/activate/123").with_body(body))
//!     .unwrap();
//! assert!(report.conforms());
//! ```

pub mod check;
pub mod cli;
pub mod codegen;
pub mod diff;
pub mod error;
pub mod findings;
pub mod gate;
pub mod lint;
pub mod publish;
pub mod spec;

pub use error::{ContractError, SpecError};
