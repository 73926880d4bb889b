//! `contract changelog`: the diff told to partners, in Markdown (or JSON): the semver
//! consequence first, then breaking changes grouped by operation with what a partner must do,
//! then warnings, then additions and other information. It formats a [`Diff`]; it never
//! compares specs itself.

use std::fmt::Write;
use std::process::ExitCode;

use clap::{Args, ValueEnum};

use super::{Change, Diff, Level};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChangelogFormat {
    Markdown,
    Json,
}

#[derive(Debug, Args)]
pub struct ChangelogArgs {
    /// The published spec: a file, or `git:REF:PATH`.
    pub old: String,
    /// The spec to publish: a file, or `git:REF:PATH`.
    pub new: String,
    #[arg(long, value_enum, default_value_t = ChangelogFormat::Markdown)]
    pub format: ChangelogFormat,
}

/// `contract changelog`: exit 0 written, 2 could not compare.
pub fn run(args: &ChangelogArgs) -> ExitCode {
    match super::diff(&args.old, &args.new) {
        Ok(diff) => {
            match args.format {
                ChangelogFormat::Markdown => print!("{}", markdown(&diff)),
                ChangelogFormat::Json => println!("{}", json(&diff)),
            }
            ExitCode::from(crate::cli::EXIT_CONFORMS)
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(crate::cli::EXIT_ERROR)
        }
    }
}

const SECTIONS: &[(Level, &str)] = &[
    (Level::Breaking, "Breaking changes"),
    (Level::Warning, "Warnings"),
    (Level::Info, "Additions and other changes"),
];

/// Changes of one level, grouped by operation in first-seen order (document-wide ones last).
fn grouped(diff: &Diff, level: Level) -> Vec<(String, Vec<&Change>)> {
    let mut groups: Vec<(String, Vec<&Change>)> = Vec::new();
    for change in diff.changes.iter().filter(|change| change.level == level) {
        let key = match (&change.operation, &change.operation_id) {
            (Some(op), Some(id)) => format!("{op} ({id})"),
            (Some(op), None) => op.clone(),
            (None, _) => "Whole API".to_owned(),
        };
        match groups.iter_mut().find(|(known, _)| *known == key) {
            Some((_, list)) => list.push(change),
            None => groups.push((key, vec![change])),
        }
    }
    groups.sort_by_key(|(key, _)| key == "Whole API");
    groups
}

/// Markdown: title, semver line, then one section per level (only those with changes).
pub fn markdown(diff: &Diff) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Changelog: {} → {}\n", diff.base, diff.revision);
    let _ = writeln!(
        out,
        "**Semver: {}** ({})\n",
        diff.semver.name(),
        match diff.semver {
            super::Bump::Major => "breaking changes: a new major version of the generated crates",
            super::Bump::Minor => "additions only: existing clients keep working",
            super::Bump::Patch => "no breaking changes and no additions",
        }
    );
    if diff.changes.is_empty() {
        out.push_str("No changes.\n");
        return out;
    }
    for (level, title) in SECTIONS {
        let groups = grouped(diff, *level);
        if groups.is_empty() {
            continue;
        }
        let _ = writeln!(out, "## {title}\n");
        for (operation, changes) in groups {
            let _ = writeln!(out, "### `{operation}`\n");
            for change in changes {
                let _ = write!(out, "- {} (`{}`)", change.message, change.id);
                if *level != Level::Info || !change.action.starts_with("Nothing") {
                    let _ = write!(out, ": {}", change.action);
                }
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out
}

/// JSON: the semver consequence and the levels in the same order, each grouped by operation.
pub fn json(diff: &Diff) -> String {
    let sections: Vec<serde_json::Value> = SECTIONS
        .iter()
        .map(|(level, title)| {
            let groups: Vec<serde_json::Value> = grouped(diff, *level)
                .into_iter()
                .map(|(operation, changes)| {
                    serde_json::json!({ "operation": operation, "changes": changes })
                })
                .collect();
            serde_json::json!({ "level": level, "title": title, "operations": groups })
        })
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({
        "base": diff.base,
        "revision": diff.revision,
        "semver": diff.semver,
        "sections": sections,
    }))
    .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}
