//! Shared helpers for the contract tests: where the specs and samples are, the sample manifest
//! model, and running one manifest entry through the same code as `contract validate`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use contract::check::contract::Contract;
use contract::check::message::{Request, Response};
use contract::check::report::Report;
use contract::error::ContractError;
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

/// A concrete status that the operation's responses route to the key `key` (`409`, `4XX`,
/// `default`): the key itself when it is a code, else the first code that reaches it.
pub fn status_for(contract: &Contract, operation: &str, key: &str) -> u16 {
    if let Ok(code) = key.parse() {
        return code;
    }
    let keys: Vec<String> = contract
        .operation(operation)
        .map(|op| {
            op.responses
                .iter()
                .map(|r| r.key.to_ascii_uppercase())
                .collect()
        })
        .unwrap_or_default();
    let key = key.to_ascii_uppercase();
    (100..=599)
        .find(|code: &u16| {
            let exact = keys.contains(&code.to_string());
            let range = format!("{}XX", code / 100);
            match key.as_str() {
                "DEFAULT" => !exact && !keys.contains(&range),
                _ => !exact && key == range,
            }
        })
        .unwrap_or_else(|| panic!("{operation}: no status reaches response {key}"))
}

/// `tests/fixtures/json-schema-test-suite/`.
pub fn json_schema_suite_dir() -> PathBuf {
    repo_root().join("tests/fixtures/json-schema-test-suite")
}

/// The suite files that concern OpenAPI 3.0 (draft 4 and its optional tests, plus the 2020-12
/// tests of the formats this tool asserts), relative to the suite folder, sorted.
pub fn suite_files(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for folder in [
        "draft4",
        "draft4/optional",
        "draft4/optional/format",
        "formats-2020-12",
    ] {
        let Ok(read) = std::fs::read_dir(root.join(folder)) else {
            continue;
        };
        for entry in read.filter_map(Result::ok) {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".json") {
                files.push(format!("{folder}/{name}"));
            }
        }
    }
    files.sort();
    files
}

/// One case of a suite file: a schema and the instances tested against it.
#[derive(Debug, Clone, Deserialize)]
pub struct SuiteCase {
    pub description: String,
    pub schema: serde_json::Value,
    pub tests: Vec<SuiteTest>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SuiteTest {
    pub description: String,
    pub data: serde_json::Value,
    pub valid: bool,
}

/// Reads one suite file. The 2020-12 format files lose their `$schema` (only `format` matters
/// there; the `$schema` names the suite's draft).
pub fn load_suite_file(root: &Path, file: &str) -> Vec<SuiteCase> {
    let text =
        std::fs::read_to_string(root.join(file)).unwrap_or_else(|error| panic!("{file}: {error}"));
    let mut cases: Vec<SuiteCase> =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{file}: {error}"));
    if file.starts_with("formats-2020-12/") {
        for case in &mut cases {
            if let serde_json::Value::Object(map) = &mut case.schema {
                map.remove("$schema");
            }
        }
    }
    cases
}

/// Why a (rewritten) suite schema is outside OpenAPI 3.0, or `None` if an OpenAPI 3.0 Schema
/// Object can say the same.
pub fn suite_not_openapi(schema: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    let Value::Object(map) = schema else {
        return Some("a boolean schema".to_owned());
    };
    for (keyword, value) in map {
        if !contract::spec::convert::OPENAPI_SCHEMA_KEYWORDS.contains(&keyword.as_str()) {
            return Some(format!("keyword `{keyword}`"));
        }
        let reason = match keyword.as_str() {
            "$ref" => value
                .as_str()
                .filter(|target| !target.starts_with("#/components/schemas/"))
                .map(|target| format!("`$ref` to {target}")),
            "type" => match value.as_str() {
                Some("null") => Some("type null (OpenAPI uses nullable)".to_owned()),
                Some(_) => None,
                None => Some("type as an array".to_owned()),
            },
            "items" if !value.is_object() => Some("items as an array".to_owned()),
            "properties" => value
                .as_object()
                .and_then(|properties| properties.values().find_map(suite_not_openapi)),
            "additionalProperties" if value.is_object() => suite_not_openapi(value),
            "items" | "not" => suite_not_openapi(value),
            "allOf" | "anyOf" | "oneOf" => value
                .as_array()
                .and_then(|branches| branches.iter().find_map(suite_not_openapi)),
            _ => None,
        };
        if reason.is_some() {
            return reason;
        }
    }
    None
}

/// A format test for a format this tool deliberately does not assert (it asserts only uuid,
/// date, date-time and email; OpenAPI lets tools ignore the others).
pub fn suite_unasserted_format(file: &str) -> bool {
    file.contains("/format/")
        && !contract::spec::convert::ASSERTED_FORMATS
            .iter()
            .any(|format| file.ends_with(&format!("/{format}.json")))
}

/// The component name of case `index` of a suite file: the file path without `.json`, every
/// character outside `[A-Za-z0-9]` made `_`, then the index (`draft4/allOf.json` case 2 →
/// `draft4_allOf_2`).
pub fn suite_component_name(file: &str, index: usize) -> String {
    let stem = file.strip_suffix(".json").unwrap_or(file);
    let stem: String = stem
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    format!("{stem}_{index}")
}

/// Rewrites a suite schema as OpenAPI components named after `name`: the schema itself is
/// component `name` (so `$ref: '#'` targets it), and each of its `definitions` is component
/// `{name}__{definition}` (characters outside `[A-Za-z0-9._-]` made `_`). References into
/// definitions follow; any other reference is left as written (and is then not OpenAPI).
/// Returns the components, the schema's own first.
pub fn suite_as_components(
    name: &str,
    schema: &serde_json::Value,
) -> serde_json::Map<String, serde_json::Value> {
    use serde_json::Value;
    let mut schema = schema.clone();
    let definitions = schema
        .as_object_mut()
        .and_then(|map| map.remove("definitions"));
    let mut targets = BTreeMap::new();
    let mut taken = BTreeSet::from([name.to_owned()]);
    let definitions: Vec<(String, Value)> = match definitions {
        Some(Value::Object(map)) => map.into_iter().collect(),
        _ => Vec::new(),
    };
    for (definition, _) in &definitions {
        let clean: String = definition
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let mut component = format!("{name}__{clean}");
        let mut suffix = 2;
        while !taken.insert(component.clone()) {
            component = format!("{name}__{clean}{suffix}");
            suffix += 1;
        }
        targets.insert(definition.clone(), component);
    }
    let mut components = serde_json::Map::new();
    components.insert(name.to_owned(), suite_rewrite_refs(schema, name, &targets));
    for (definition, value) in definitions {
        components.insert(
            targets[&definition].clone(),
            suite_rewrite_refs(value, name, &targets),
        );
    }
    components
}

/// `$ref`s of a suite schema in OpenAPI terms (see [`suite_as_components`]).
fn suite_rewrite_refs(
    value: serde_json::Value,
    name: &str,
    targets: &BTreeMap<String, String>,
) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), &value) {
                        ("$ref", Value::String(target)) if target == "#" => {
                            Value::from(format!("#/components/schemas/{name}"))
                        }
                        ("$ref", Value::String(target)) => {
                            let definition = target
                                .strip_prefix("#/definitions/")
                                .map(contract::spec::pointer::unescape_fragment)
                                .and_then(|definition| targets.get(&definition));
                            match definition {
                                Some(component) => {
                                    Value::from(format!("#/components/schemas/{component}"))
                                }
                                None => value,
                            }
                        }
                        // Instance data, not schemas: left alone.
                        ("enum" | "default" | "example", _) => value,
                        _ => suite_rewrite_refs(value, name, targets),
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| suite_rewrite_refs(item, name, targets))
                .collect(),
        ),
        other => other,
    }
}

/// One suite test whose case fits OpenAPI 3.0, with the component its schema became.
#[derive(Debug, Clone, serde::Serialize, Deserialize)]
pub struct SuiteEntry {
    pub component: String,
    pub file: String,
    pub case: String,
    pub test: String,
    pub data: serde_json::Value,
    pub valid: bool,
}

/// The draft-4 suite as one OpenAPI 3.0.3 document: every case that fits OpenAPI 3.0 is a
/// component (see [`suite_component_name`] and [`suite_as_components`]). Returns the document,
/// the tests of those cases, and the number of tests left out by reason.
pub fn suite_spec(root: &Path) -> (serde_json::Value, Vec<SuiteEntry>, BTreeMap<String, usize>) {
    let mut components = serde_json::Map::new();
    let mut entries = Vec::new();
    let mut not_applicable: BTreeMap<String, usize> = BTreeMap::new();
    for file in suite_files(root) {
        for (index, case) in load_suite_file(root, &file).into_iter().enumerate() {
            let name = suite_component_name(&file, index);
            let wrapped = suite_as_components(&name, &case.schema);
            let reason = if suite_unasserted_format(&file) {
                Some("a format this tool does not assert".to_owned())
            } else {
                wrapped.values().find_map(suite_not_openapi)
            };
            if let Some(reason) = reason {
                *not_applicable.entry(reason).or_default() += case.tests.len();
                continue;
            }
            components.extend(wrapped);
            for test in case.tests {
                entries.push(SuiteEntry {
                    component: name.clone(),
                    file: file.clone(),
                    case: case.description.clone(),
                    test: test.description,
                    data: test.data,
                    valid: test.valid,
                });
            }
        }
    }
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": {
            "title": "JSON Schema Test Suite (draft 4) as OpenAPI 3.0 components",
            "version": "1.0.0",
            "description": "Generated by the conformance tests from tests/fixtures/json-schema-test-suite/: one component per suite case that fits OpenAPI 3.0.",
        },
        "paths": {},
        "components": { "schemas": components },
    });
    (document, entries, not_applicable)
}
