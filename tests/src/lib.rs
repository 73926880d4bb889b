//! Shared helpers for the contract tests: where the specs and samples are, and the manifest model.
