//! Error types: [`SpecError`] for a spec that cannot be used, [`ContractError`] for a message that
//! cannot be checked (unknown route, malformed JSON). A message that *can* be checked but breaks the
//! contract is not an error: it is a [`crate::check::report::Report`] with violations.

use std::path::PathBuf;

/// A spec that cannot be loaded or used. Every variant names the file; most name the place in it.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error("{path}: cannot read the spec: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not valid YAML: {message}")]
    Yaml {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Version { path: PathBuf, message: String },
    #[error("{path}{}: not a valid OpenAPI 3.0 document: {message}", location(*line, *column))]
    Structure {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        message: String,
    },
    #[error("{path}: at #{pointer}: {message}")]
    Invalid {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    /// A `$ref` to another file that cannot be followed. `path` is the file holding the `$ref`,
    /// `pointer` its place in that file.
    #[error("{path}{}: at #{pointer}: {message}", location(*line, None))]
    Reference {
        path: PathBuf,
        line: Option<usize>,
        pointer: String,
        message: String,
    },
}

/// A defect in a spec that did not stop it from being used: what was wrong, where, and how it
/// was read instead. `--strict` turns these into errors.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    /// JSON pointer into the (bundled) document.
    pub pointer: String,
    /// What is wrong and how it was read instead.
    pub message: String,
}

impl Diagnostic {
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            pointer: pointer.into(),
            message: message.into(),
        }
    }
}

impl std::fmt::Display for Diagnostic {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "at #{}: {}", self.pointer, self.message)
    }
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

/// A message that cannot be checked against a contract.
#[derive(Debug, thiserror::Error)]
pub enum ContractError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("no route in {spec} matches {method} {path}; documented routes: {documented}")]
    UnknownRoute {
        spec: PathBuf,
        method: String,
        path: String,
        documented: String,
    },
    #[error("{spec} documents {path} (as {template}) only for {allowed}, not for {method}")]
    MethodNotDocumented {
        spec: PathBuf,
        method: String,
        path: String,
        template: String,
        allowed: String,
    },
    #[error("{source_name}:{line}:{column}: malformed JSON: {message}")]
    MalformedJson {
        source_name: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{source_name}: cannot read: {source}")]
    Io {
        source_name: String,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid header {header:?}: expected 'Name: value'")]
    InvalidHeader { header: String },
    #[error(
        "invalid status {status:?}: expected a code such as 200, a range such as 4XX, or default"
    )]
    InvalidStatus { status: String },
    #[error(
        "{operation} has no request body media type this tool can check ({found}); only JSON bodies are validated"
    )]
    UnsupportedMediaType { operation: String, found: String },
    #[error("{spec}: the converted schema at #{pointer} does not compile: {message}")]
    SchemaCompile {
        spec: PathBuf,
        pointer: String,
        message: String,
    },
    /// Arguments that clap cannot reject alone (`--spec` given twice for one message).
    #[error("{0}")]
    Usage(String),
}

impl ContractError {
    /// Parses JSON text, turning a syntax error into [`ContractError::MalformedJson`] with its
    /// line and column.
    pub fn parse_json(source_name: &str, text: &str) -> Result<serde_json::Value, ContractError> {
        serde_json::from_str(text).map_err(|error| ContractError::MalformedJson {
            source_name: source_name.to_owned(),
            line: error.line(),
            column: error.column(),
            message: strip_position(&error.to_string()),
        })
    }

    /// A short machine-readable name for the kind of error (used by `--format json`).
    pub fn kind(&self) -> &'static str {
        match self {
            ContractError::Spec(_) => "spec",
            ContractError::UnknownRoute { .. } => "unknown-route",
            ContractError::MethodNotDocumented { .. } => "method-not-documented",
            ContractError::MalformedJson { .. } => "malformed-json",
            ContractError::Io { .. } => "io",
            ContractError::InvalidHeader { .. } => "invalid-header",
            ContractError::InvalidStatus { .. } => "invalid-status",
            ContractError::UnsupportedMediaType { .. } => "unsupported-media-type",
            ContractError::SchemaCompile { .. } => "schema-compile",
            ContractError::Usage(_) => "usage",
        }
    }
}

/// serde_json appends " at line L column C"; we print the position ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_json_reports_line_and_column() {
        let error = ContractError::parse_json("body.json", "{\n  \"a\": 1 // x\n}").unwrap_err();
        let text = error.to_string();
        assert!(text.starts_with("body.json:2:"), "{text}");
        assert!(!text.contains(" at line "), "{text}");
        assert_eq!(error.kind(), "malformed-json");
    }
}
