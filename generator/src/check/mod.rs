//! Checking one message (request or response) against a loaded contract: routing a concrete
//! path to its operation, the `jsonschema` oracle configuration, and reports that never copy a
//! secret. Nothing here generates code.

pub mod contract;
pub mod har;
pub mod message;
pub mod oracle;
pub mod report;
pub mod router;
pub mod samples;

pub use contract::Contract;
