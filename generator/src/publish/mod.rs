//! publish: turn the contracts into what partners receive; never changes a spec.

pub mod docs;
