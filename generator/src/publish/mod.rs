//! Publishing: turns the contracts into what partners receive: self-contained spec files in the
//! OpenAPI versions their tools read (`bundle`, `openapi31`, `policy`), a documentation site
//! (`docs`), and the kit that packs them with a changelog (`kit`, `archive`). It never changes a
//! spec file and never decides OpenAPI semantics itself: that is `spec::convert`, whose reading
//! every output here keeps.

pub mod archive;
pub mod bundle;
pub mod docs;
pub mod kit;
pub mod openapi31;
pub mod policy;
