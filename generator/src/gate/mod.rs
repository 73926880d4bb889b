//! `contract check`: one command that gates CI on the contracts. It reads `contract.toml`
//! (`[check]`), runs each part (lint and diff are hooked in by their own modules; freshness of
//! `generated/`, sample manifests and HAR files are here) and adds their [`Section`]s up to one
//! exit code. It decides no verdict itself: each part does, through the library.
//!
//! [`Section`]: crate::findings::Section

pub mod render;
