//! `contract diff`: the breaking-change engine. Compares two loaded (bundled) specs operation by
//! operation, one check per rule (`rules`, ids in oasdiff's style), reports each [`Change`] with
//! its level and its place in both files, and says what the change means for the generated
//! crates' semver. It reads specs (files or `git:REF:PATH`) but never writes to the work tree and
//! never prints a value of an `x-sensitive` field (messages name schema keywords, not examples).

pub mod changelog;
pub mod rules;
pub mod semver;
pub mod source;
mod walk;

use std::process::ExitCode;

use clap::Args;
use serde::Serialize;

use crate::findings::format::{self, Format};
use crate::findings::{Finding, Location, Part, Section, Severity};
pub use rules::Level;
pub use semver::Bump;
pub use source::Input;

/// One difference between the base and the revision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The rule's stable id (`request-property-became-required`).
    pub id: &'static str,
    pub level: Level,
    /// `POST /cards/{id}`; `None` for document-wide changes (security schemes).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation_id: Option<String>,
    pub message: String,
    /// Where it was in the base (absent for an addition).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base: Option<Location>,
    /// Where it is in the revision (absent for a removal).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub revision: Option<Location>,
    /// What a client must do about it.
    pub action: &'static str,
    /// Whether it adds something (a semver-minor change when nothing breaks).
    pub addition: bool,
}

impl Change {
    /// The change as a shared finding: breaking → error, warning → warn, info → info; located in
    /// the revision (the base for a removal), the base location as `related`.
    pub fn to_finding(&self) -> Finding {
        let severity = severity_of(self.level);
        let (location, related) = match (&self.revision, &self.base) {
            (Some(rev), Some(base)) => (Some(rev.clone()), vec![base.clone()]),
            (Some(rev), None) => (Some(rev.clone()), Vec::new()),
            (None, Some(base)) => (Some(base.clone()), Vec::new()),
            (None, None) => (None, Vec::new()),
        };
        Finding {
            rule: self.id.to_owned(),
            severity,
            message: self.message.clone(),
            location,
            related,
            operation: self.operation.clone().or_else(|| self.operation_id.clone()),
        }
    }
}

/// The outcome of one comparison.
#[derive(Debug, Clone, Serialize)]
pub struct Diff {
    pub base: String,
    pub revision: String,
    pub changes: Vec<Change>,
    /// What the changes require of the generated crates' version.
    pub semver: Bump,
}

impl Diff {
    pub fn worst(&self) -> Option<Level> {
        self.changes.iter().map(|change| change.level).max()
    }

    /// One section for the shared renderers.
    pub fn section(&self) -> Section {
        let mut section = Section::new(Part::Diff, format!("{} → {}", self.base, self.revision));
        section.findings = self.changes.iter().map(Change::to_finding).collect();
        section
    }
}

/// Compares two loaded inputs.
pub fn compare(base: &source::Loaded, revision: &source::Loaded) -> Diff {
    let raw = walk::compare(&base.spec.document, &revision.spec.document);
    let locate = |loaded: &source::Loaded, pointer: Option<String>| {
        pointer.map(|pointer| {
            let span = loaded.spans.locate(&pointer);
            Location {
                file: loaded.name.clone(),
                pointer,
                line: span.map(|span| span.line),
                column: span.map(|span| span.column),
            }
        })
    };
    let mut changes: Vec<Change> = raw
        .into_iter()
        .map(|raw| {
            let rule = rules::rule(raw.id);
            Change {
                id: raw.id,
                level: raw.level,
                operation: raw.operation,
                operation_id: raw.operation_id,
                message: raw.message,
                base: locate(base, raw.base),
                revision: locate(revision, raw.revision),
                action: rule.map_or("", |rule| rule.action),
                addition: rule.is_some_and(|rule| rule.addition),
            }
        })
        .collect();
    // Worst first; within a level in document order (the walk's order), which is stable.
    changes.sort_by_key(|change| std::cmp::Reverse(change.level));
    let semver = semver::consequence(&changes);
    Diff {
        base: base.name.clone(),
        revision: revision.name.clone(),
        changes,
        semver,
    }
}

/// Loads both inputs and compares them.
pub fn diff(base: &str, revision: &str) -> Result<Diff, source::SourceError> {
    // The two files are independent: read (and parsed twice over, value and spans) side by side.
    let (base, revision) = crate::parallel::join(
        || Input::parse(base).load(),
        || Input::parse(revision).load(),
    );
    let (base, revision) = (base?, revision?);
    Ok(compare(&base, &revision))
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The base spec: a file, or `git:REF:PATH` (read from the repository, work tree untouched).
    pub old: String,
    /// The revised spec: a file, or `git:REF:PATH`.
    pub new: String,
    /// Output format (human and json are the diff's own reports, with the semver consequence;
    /// sarif, junit and github are the shared CI renderings of the same changes).
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// The lowest level that fails (exit 1).
    #[arg(long, value_name = "LEVEL", default_value = "breaking", value_parser = parse_level)]
    pub fail_on: Level,
}

fn parse_level(text: &str) -> Result<Level, String> {
    Level::parse(text).ok_or_else(|| format!("`{text}` is not breaking, warning or info"))
}

/// The severity a diff level fails at, in the shared findings' terms.
fn severity_of(level: Level) -> Severity {
    match level {
        Level::Breaking => Severity::Error,
        Level::Warning => Severity::Warn,
        Level::Info => Severity::Info,
    }
}

/// `contract diff`: exit 0 nothing at or above `--fail-on`, 1 something is, 2 could not compare.
pub fn run(args: &DiffArgs) -> ExitCode {
    let fail_on = severity_of(args.fail_on);
    let text = match (diff(&args.old, &args.new), args.format) {
        (Err(error), Format::Human) => {
            eprintln!("error: {error}");
            return ExitCode::from(format::EXIT_ERROR);
        }
        (Err(error), Format::Json) => {
            serde_json::json!({ "error": { "message": error.to_string() } }).to_string()
        }
        (Err(error), other) => {
            let mut section = Section::new(Part::Diff, format!("{} → {}", args.old, args.new));
            section.error = Some(error.to_string());
            format::render(&[section], other, fail_on)
        }
        (Ok(diff), format) => {
            let text = match format {
                Format::Human => human(&diff),
                Format::Json => json(&diff),
                other => format::render(&[diff.section()], other, fail_on),
            };
            if let Err(error) = format::print(&text) {
                eprintln!("error: cannot write the results: {error}");
                return ExitCode::from(format::EXIT_ERROR);
            }
            return ExitCode::from(format::exit_code(&[diff.section()], fail_on));
        }
    };
    // Only the machine formats reach here, with the error in them.
    if let Err(error) = format::print(&text) {
        eprintln!("error: cannot write the results: {error}");
    }
    ExitCode::from(format::EXIT_ERROR)
}

fn place(location: Option<&Location>) -> String {
    match location {
        Some(Location {
            file,
            line: Some(line),
            ..
        }) => format!("{file}:{line}"),
        Some(location) => format!("{}#{}", location.file, location.pointer),
        None => "-".to_owned(),
    }
}

/// The human report: one line per change, then a summary with the semver consequence.
/// (Replaceable by the shared renderer over [`Diff::section`].)
pub fn human(diff: &Diff) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for change in &diff.changes {
        let operation = match (&change.operation, &change.operation_id) {
            (Some(op), Some(id)) => format!("{op} ({id})"),
            (Some(op), None) => op.clone(),
            (None, _) => "(document)".to_owned(),
        };
        let _ = writeln!(
            out,
            "{:<8} {} {operation}: {}\n         {} → {}",
            change.level.name(),
            change.id,
            change.message,
            place(change.base.as_ref()),
            place(change.revision.as_ref()),
        );
    }
    let count = |level| diff.changes.iter().filter(|c| c.level == level).count();
    let _ = writeln!(
        out,
        "{} → {}: {} breaking, {} warning, {} info; semver: {}",
        diff.base,
        diff.revision,
        count(Level::Breaking),
        count(Level::Warning),
        count(Level::Info),
        diff.semver.name()
    );
    out
}

/// The JSON report: the changes, the semver consequence, and the shared section.
pub fn json(diff: &Diff) -> String {
    serde_json::to_string_pretty(&serde_json::json!({
        "base": diff.base,
        "revision": diff.revision,
        "semver": diff.semver,
        "changes": diff.changes,
        "sections": [diff.section()],
    }))
    .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
}
