//! Publishing: turns the contracts into what partners receive (self-contained spec files in the
//! OpenAPI versions their tools read). It never changes a spec file and never decides OpenAPI
//! semantics itself: that is `spec::convert`, whose reading every output here keeps.

pub mod bundle;
pub mod openapi31;
pub mod policy;
