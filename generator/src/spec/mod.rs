//! Reading a spec: YAML (or JSON) text, in one file or several (`bundle`), → a lossless JSON
//! document (defects repaired with diagnostics, `lenient`) and the typed `openapiv3` model,
//! JSON Pointer helpers, which locations are `x-sensitive`, and `convert`, the one reading of
//! OpenAPI 3.0 schema semantics (→ JSON Schema 2020-12) that every other part shares.
//! Nothing here checks messages or writes code.

pub mod bundle;
pub mod convert;
pub mod lenient;
mod load;
pub mod pointer;
pub mod sensitive;
pub mod spans;

pub use load::{Document, Spec};
