//! `contract`: OpenAPI 3.0 contracts for card-issuer APIs, checked and turned into Rust crates.
//!
//! The pipeline for checking a message is:
//! [`spec::Spec::load`] (YAML → lossless JSON document + typed [`openapiv3::OpenAPI`]) →
//! [`contract::Contract`] (routes, operations, messages) → [`convert`] (OpenAPI 3.0 schema →
//! JSON Schema 2020-12) → the `jsonschema` crate → [`report::Report`].
//!
//! ```no_run
//! use contract::{contract::Contract, message::{Request, Response}};
//! let contract = Contract::load("specs/upmoney.yaml").unwrap();
//! let body = serde_json::json!({ "activationCode": "123456" });
//! let report = contract
//!     .validate_request(&Request::new("POST", "/cards/activate/123").with_body(body))
//!     .unwrap();
//! assert!(report.conforms());
//! ```

pub mod cli;
pub mod client;
pub mod contract;
pub mod convert;
pub mod emit;
pub mod emit_bytes;
pub mod error;
pub mod generate;
pub mod ir;
pub mod lower;
pub mod message;
pub mod naming;
pub mod oracle;
pub mod pointer;
pub mod report;
pub mod router;
pub mod sensitive;
pub mod spec;

pub use error::{ContractError, SpecError};
