//! Code generation: spec → IR (`lower`) → validator crate (`validator`) and client crate
//! (`client`), driven by `generate`. Emitters and templates read only the IR (and, for the
//! client, the operations of the loaded contract); OpenAPI semantics are not decided here but in
//! `spec::convert`.

pub mod client;
pub mod generate;
pub mod ir;
pub mod lower;
pub mod naming;
pub mod validator;
