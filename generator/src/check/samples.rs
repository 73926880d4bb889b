//! Sample manifests (`specs/samples/<spec>/manifest.yaml`, format in `specs/samples/README.md`)
//! read and checked as a library, for `contract check`: every listed sample gets its verdict and
//! exactly its expected violations, and every file on disk is listed. It decides no verdict
//! itself ([`Contract`] does) and never copies a sample's values into a finding (only pointers,
//! rules and verdicts).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::check::contract::Contract;
use crate::check::message::{Request, Response};
use crate::error::ContractError;
use crate::findings::{Finding, Location, Part, Section, Severity};

/// One manifest.
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

/// One sample of a manifest.
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

/// The manifest of a spec: `<samples_dir>/<spec file stem>/manifest.yaml`.
pub fn manifest_path(samples_dir: &Path, spec: &Path) -> PathBuf {
    let stem = spec.file_stem().unwrap_or_default();
    samples_dir.join(stem).join("manifest.yaml")
}

/// Reads a manifest; the error says file, line and column.
pub fn load(path: &Path) -> Result<Manifest, String> {
    let text =
        std::fs::read_to_string(path).map_err(|error| format!("{}: {error}", path.display()))?;
    serde_yaml::from_str(&text).map_err(|error| format!("{}: {error}", path.display()))
}

/// What checking one entry gave: `Ok(None)` when the file is not JSON, else its violations.
/// (Public so tests can compare the verdicts of two contracts, e.g. a spec and its bundle.)
pub fn outcome(
    contract: &Contract,
    dir: &Path,
    entry: &Entry,
) -> Result<Option<BTreeSet<Expected>>, String> {
    let file = dir.join(&entry.file);
    let text =
        std::fs::read_to_string(&file).map_err(|error| format!("{}: {error}", entry.file))?;
    let Ok(body) = ContractError::parse_json(&entry.file, &text) else {
        return Ok(None);
    };
    let operation = contract
        .operation(&entry.operation)
        .ok_or_else(|| format!("{}: no operation {}", entry.file, entry.operation))?;
    let path = entry
        .path
        .clone()
        .unwrap_or_else(|| operation.template.clone());
    let headers: Option<Vec<(String, String)>> = entry.headers.as_ref().map(|headers| {
        headers
            .iter()
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect()
    });
    let report = match entry.message {
        MessageKind::Request => {
            let mut request = Request::new(&operation.method, path).with_body(body);
            request.headers = headers;
            contract.validate_request(&request)
        }
        MessageKind::RequestHeaders => {
            let object = body
                .as_object()
                .ok_or_else(|| format!("{}: a header sample must be an object", entry.file))?;
            let recorded = object
                .iter()
                .map(|(name, value)| {
                    let text = value
                        .as_str()
                        .map_or_else(|| value.to_string(), str::to_owned);
                    (name.clone(), text)
                })
                .collect();
            contract.validate_request(&Request::new(&operation.method, path).headers_only(recorded))
        }
        MessageKind::Response => {
            let status = entry
                .status
                .clone()
                .ok_or_else(|| format!("{}: a response entry needs a status", entry.file))?;
            contract
                .validate_response(&Response::new(&operation.method, path, status).with_body(body))
        }
    }
    .map_err(|error| format!("{}: cannot be checked: {error}", entry.file))?;
    Ok(Some(
        report
            .violations
            .iter()
            .map(|violation| Expected {
                part: violation.part.to_string(),
                pointer: violation.pointer.clone(),
                rule: violation.rule.clone(),
            })
            .collect(),
    ))
}

fn show(set: &BTreeSet<Expected>) -> String {
    let items: Vec<String> = set
        .iter()
        .map(|e| format!("{} {} {}", e.part, e.pointer, e.rule))
        .collect();
    format!("[{}]", items.join(", "))
}

/// Checks one spec's manifest: one section (subject: the manifest file), a finding per sample
/// that does not get its verdict and per file on disk the manifest does not list.
pub fn check(contract: &Contract, spec: &Path, samples_dir: &Path) -> Section {
    let path = manifest_path(samples_dir, spec);
    let mut section = Section::new(Part::Samples, path.display().to_string());
    let manifest = match load(&path) {
        Ok(manifest) => manifest,
        Err(error) => {
            section.error = Some(error);
            return section;
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut push = |rule: &str, file: &str, message: String| {
        section.findings.push(Finding {
            rule: rule.to_owned(),
            severity: Severity::Error,
            message,
            location: Some(Location {
                file: dir.join(file).display().to_string(),
                pointer: String::new(),
                line: None,
                column: None,
            }),
            related: Vec::new(),
            operation: None,
        });
    };
    let mut listed = BTreeSet::new();
    for entry in &manifest.samples {
        listed.insert(entry.file.clone());
        let expected: BTreeSet<Expected> = entry.expect.iter().cloned().collect();
        match (
            outcome(contract, dir, entry),
            entry.verdict,
            entry.malformed,
        ) {
            (Err(message), _, _) => push("sample-unusable", &entry.file, message),
            (Ok(None), Verdict::KnownInvalid, true) => {}
            (Ok(Some(found)), Verdict::Valid, false) => {
                if !found.is_empty() {
                    push(
                        "sample-verdict",
                        &entry.file,
                        format!("expected valid, got violations {}", show(&found)),
                    );
                }
            }
            (Ok(None), _, _) => push(
                "sample-verdict",
                &entry.file,
                "unexpectedly not JSON".to_owned(),
            ),
            (Ok(Some(_)), _, true) => push(
                "sample-verdict",
                &entry.file,
                "marked malformed, but it parses".to_owned(),
            ),
            (Ok(Some(found)), Verdict::KnownInvalid, false) => {
                if found != expected {
                    push(
                        "sample-verdict",
                        &entry.file,
                        format!(
                            "expected violations {}, got {}",
                            show(&expected),
                            show(&found)
                        ),
                    );
                }
            }
        }
    }
    // Every file on disk is listed: no sample is silently skipped.
    for folder in ["doc", "derived", "negative"] {
        let Ok(read) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        let mut files: Vec<String> = read
            .filter_map(Result::ok)
            .map(|file| format!("{folder}/{}", file.file_name().to_string_lossy()))
            .collect();
        files.sort();
        for file in files {
            if !listed.contains(&file) {
                push(
                    "sample-unlisted",
                    &file,
                    format!("{file} is not in manifest.yaml"),
                );
            }
        }
    }
    section
}
