//! One finding type for every verb that gates CI (`lint`, `diff`, `validate --har`, `check`), and
//! the formats CI tools read (human, JSON, SARIF 2.1.0, JUnit XML, GitHub Actions annotations).
//! Parts produce [`Section`]s; only `format` turns them into text. Nothing here decides what is
//! wrong with a spec or a message, and no value of an `x-sensitive` field or a header ever
//! reaches a finding (the parts that build findings are responsible for that).

pub mod format;

use serde::Serialize;

/// How serious a finding is. The names are Spectral's, so a team's severities carry over; the
/// diff levels map onto them (`breaking` → error, `warning` → warn, `info` → info).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Hint,
    Info,
    Warn,
    Error,
}

impl Severity {
    pub fn name(self) -> &'static str {
        match self {
            Severity::Hint => "hint",
            Severity::Info => "info",
            Severity::Warn => "warn",
            Severity::Error => "error",
        }
    }

    /// Reads a severity as Spectral configs spell it (names or its numbers 0–3, `warning` too).
    pub fn parse(text: &str) -> Option<Severity> {
        match text {
            "error" | "0" => Some(Severity::Error),
            "warn" | "warning" | "1" => Some(Severity::Warn),
            "info" | "information" | "2" => Some(Severity::Info),
            "hint" | "3" => Some(Severity::Hint),
            _ => None,
        }
    }
}

/// Which part of `contract check` produced a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// One message (`contract validate` without `--har`).
    Validate,
    Lint,
    Diff,
    Fresh,
    Samples,
    Har,
    /// The configuration file itself (`contract.toml`): when it cannot be read, this is the one
    /// section, with its error, so a CI tool reading SARIF or JUnit sees why nothing ran.
    Config,
}

impl Part {
    pub fn name(self) -> &'static str {
        match self {
            Part::Validate => "validate",
            Part::Lint => "lint",
            Part::Diff => "diff",
            Part::Fresh => "fresh",
            Part::Samples => "samples",
            Part::Har => "har",
            Part::Config => "config",
        }
    }
}

/// A place in a file: the JSON pointer of the node and, where the file is YAML or JSON text we
/// read, its 1-based line and column (see [`crate::spec::spans`]).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Location {
    pub file: String,
    pub pointer: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

/// One thing found: a lint rule broken, a change between two specs, a HAR entry that does not
/// conform, a stale generated file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable id: a Spectral rule name, our own rule name, or a diff check id (kebab-case).
    pub rule: String,
    pub severity: Severity,
    /// One line for a human; never holds a secret.
    pub message: String,
    /// Where it is (for a diff: in the new file, or in the old one for something removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// Other places that belong to it (for a diff: the same node in the old file).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Location>,
    /// The operation it concerns (`POST /cards/activate/{id}` or an operationId), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
}

/// The outcome of one part on one subject (a spec, a spec pair, a HAR entry, a generated crate):
/// one JUnit test case, one SARIF run section. A section with no findings and no error passed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Section {
    pub part: Part,
    /// What was checked, as a user names it: `specs/upmoney.yaml`, `traffic.har#3`.
    pub subject: String,
    pub findings: Vec<Finding>,
    /// Set when the subject could not be checked at all (unreadable file, malformed spec): exit 2.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Section {
    pub fn new(part: Part, subject: impl Into<String>) -> Section {
        Section {
            part,
            subject: subject.into(),
            findings: Vec::new(),
            error: None,
        }
    }

    /// The most serious finding's severity, if any.
    pub fn worst(&self) -> Option<Severity> {
        self.findings.iter().map(|finding| finding.severity).max()
    }
}
