//! Shared helpers for the contract tests: where the specs and samples are, the sample manifest
//! model, and running one manifest entry through the same code as `contract validate`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use contract::contract::Contract;
use contract::error::ContractError;
use contract::message::{Request, Response};
use contract::report::Report;
use serde::Deserialize;

/// The repository root.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository root")
        .to_owned()
}

/// `specs/`.
pub fn specs_dir() -> PathBuf {
    repo_root().join("specs")
}

/// The five provider specs, by name, sorted.
pub fn provider_specs() -> Vec<(String, PathBuf)> {
    let mut specs: Vec<_> = std::fs::read_dir(specs_dir())
        .expect("specs/ is readable")
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            (name, path)
        })
        .collect();
    specs.sort();
    specs
}

/// One provider's `manifest.yaml` (format: `specs/samples/README.md`).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub spec: String,
    pub samples: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Document,
    Derived,
    Negative,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MessageKind {
    Request,
    Response,
    RequestHeaders,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Valid,
    KnownInvalid,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub file: String,
    pub origin: Origin,
    #[serde(rename = "where")]
    pub location: Option<String>,
    pub derived_from: Option<String>,
    pub change: Option<String>,
    pub operation: String,
    pub message: MessageKind,
    pub status: Option<String>,
    pub path: Option<String>,
    pub headers: Option<BTreeMap<String, String>>,
    pub verdict: Verdict,
    pub reason: Option<String>,
    #[serde(default)]
    pub malformed: bool,
    #[serde(default)]
    pub expect: Vec<Expected>,
}

/// One violation a sample must produce: `(in, pointer, rule)`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expected {
    #[serde(rename = "in", default = "body")]
    pub part: String,
    pub pointer: String,
    pub rule: String,
}

fn body() -> String {
    "body".to_owned()
}

/// A provider's sample folder.
pub fn samples_dir(provider: &str) -> PathBuf {
    specs_dir().join("samples").join(provider)
}

/// Reads a provider's manifest.
pub fn load_manifest(provider: &str) -> Manifest {
    let path = samples_dir(provider).join("manifest.yaml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// What checking one entry gave.
#[derive(Debug)]
pub enum Outcome {
    /// The file is not JSON (the CLI exits 2 with line and column).
    Malformed(ContractError),
    Checked(Report),
}

impl Outcome {
    /// The reported violations as `(in, pointer, rule)`.
    pub fn violations(&self) -> BTreeSet<Expected> {
        match self {
            Outcome::Malformed(_) => BTreeSet::new(),
            Outcome::Checked(report) => report
                .violations
                .iter()
                .map(|violation| Expected {
                    part: violation.part.to_string(),
                    pointer: violation.pointer.clone(),
                    rule: violation.rule.clone(),
                })
                .collect(),
        }
    }
}

/// Runs an entry through the library calls `contract validate` makes. Panics with a precise
/// message if the entry itself is unusable (unknown operation, missing file).
pub fn check_entry(contract: &Contract, provider: &str, entry: &Entry) -> Outcome {
    let file = samples_dir(provider).join(&entry.file);
    let source_name = file.display().to_string();
    let text =
        std::fs::read_to_string(&file).unwrap_or_else(|error| panic!("{source_name}: {error}"));
    let body = match ContractError::parse_json(&source_name, &text) {
        Ok(body) => body,
        Err(error) => return Outcome::Malformed(error),
    };
    let operation = contract.operation(&entry.operation).unwrap_or_else(|| {
        panic!(
            "{provider}/{}: no operation {}",
            entry.file, entry.operation
        )
    });
    let path = entry
        .path
        .clone()
        .unwrap_or_else(|| operation.template.clone());
    let headers: Option<Vec<(String, String)>> = entry.headers.as_ref().map(|headers| {
        headers
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    });
    let result = match entry.message {
        MessageKind::Request => {
            let mut request = Request::new(&operation.method, path).with_body(body);
            request.headers = headers;
            contract.validate_request(&request)
        }
        MessageKind::RequestHeaders => {
            let recorded = body
                .as_object()
                .unwrap_or_else(|| {
                    panic!(
                        "{provider}/{}: a header sample must be an object",
                        entry.file
                    )
                })
                .iter()
                .map(|(name, value)| {
                    (
                        name.clone(),
                        value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned),
                    )
                })
                .collect();
            contract.validate_request(&Request::new(&operation.method, path).headers_only(recorded))
        }
        MessageKind::Response => {
            let status = entry.status.clone().unwrap_or_else(|| {
                panic!("{provider}/{}: a response entry needs a status", entry.file)
            });
            contract
                .validate_response(&Response::new(&operation.method, path, status).with_body(body))
        }
    };
    match result {
        Ok(report) => Outcome::Checked(report),
        Err(error) => panic!("{provider}/{}: cannot be checked: {error}", entry.file),
    }
}
