//! The OpenAPI 3.0 → JSON Schema conversion, tested with the official JSON Schema Test Suite
//! (draft 4, the draft OpenAPI 3.0 schemas derive from, plus format tests for the four formats
//! this tool asserts). A case runs when its schema uses only OpenAPI 3.0 keywords; every other case
//! is counted as not applicable with its reason. Known failures are listed in `XFAIL`, each with why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use conformance::repo_root;
use contract::spec::convert::{ASSERTED_FORMATS, Converter, Direction, OPENAPI_SCHEMA_KEYWORDS};
use serde::Deserialize;
use serde_json::Value;

/// (file, case description, test description, why it fails).
const XFAIL: &[(&str, &str, &str, &str)] = &[(
    "draft4/optional/zeroTerminatedFloats.json",
    "some languages do not distinguish between different types of numeric value",
    "a float is not an integer even without fractional part",
    "Converted schemas are JSON Schema 2020-12, where 1.0 is an integer (the rule since draft 6); \
     draft 4 leaves this optional. JSON producers often print whole numbers as 1.0, so accepting \
     them is the safer reading for traffic from issuers.",
)];

#[derive(Deserialize)]
struct Case {
    description: String,
    schema: Value,
    tests: Vec<Test>,
}

#[derive(Deserialize)]
struct Test {
    description: String,
    data: Value,
    valid: bool,
}

/// Why a schema is outside OpenAPI 3.0, or `None` if it fits.
fn not_openapi(schema: &Value) -> Option<String> {
    let Value::Object(map) = schema else {
        return Some("a boolean schema".to_owned());
    };
    for (keyword, value) in map {
        if !OPENAPI_SCHEMA_KEYWORDS.contains(&keyword.as_str()) {
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
                .and_then(|properties| properties.values().find_map(not_openapi)),
            "additionalProperties" if value.is_object() => not_openapi(value),
            "items" | "not" => not_openapi(value),
            "allOf" | "anyOf" | "oneOf" => value
                .as_array()
                .and_then(|branches| branches.iter().find_map(not_openapi)),
            _ => None,
        };
        if reason.is_some() {
            return reason;
        }
    }
    None
}

/// A format assertion this tool deliberately does not make (only uuid, date, date-time, email).
fn unasserted_format(file: &str) -> bool {
    file.contains("/format/")
        && !ASSERTED_FORMATS
            .iter()
            .any(|format| file.ends_with(&format!("/{format}.json")))
}

fn suite_files(root: &Path) -> Vec<String> {
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

/// Rewrites a suite schema the way an OpenAPI author would write it: `definitions` become
/// `components.schemas`, and a reference to the root (`#`) targets a `Root` component. Returns the
/// document holding the components and the root schema.
fn as_components(mut schema: Value) -> (Value, Value) {
    let definitions = schema
        .as_object_mut()
        .and_then(|map| map.remove("definitions"));
    let refers_to_root = schema.to_string().contains(r##""$ref":"#""##);
    let mut components = serde_json::Map::new();
    if let Some(Value::Object(definitions)) = definitions {
        for (name, definition) in definitions {
            components.insert(name, rewrite_refs(definition));
        }
    }
    let schema = rewrite_refs(schema);
    if refers_to_root {
        components.insert("Root".to_owned(), schema.clone());
    }
    let document = serde_json::json!({ "components": { "schemas": components } });
    (document, schema)
}

fn rewrite_refs(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let value = match (key.as_str(), &value) {
                        ("$ref", Value::String(target)) if target == "#" => {
                            Value::from("#/components/schemas/Root")
                        }
                        ("$ref", Value::String(target)) => {
                            match target.strip_prefix("#/definitions/") {
                                Some(name) => Value::from(format!("#/components/schemas/{name}")),
                                None => value,
                            }
                        }
                        // Instance data, not schemas: left alone.
                        ("enum" | "default" | "example", _) => value,
                        _ => rewrite_refs(value),
                    };
                    (key, value)
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(rewrite_refs).collect()),
        other => other,
    }
}

#[test]
fn draft4_suite_cases_that_fit_openapi_pass() {
    let root = repo_root().join("tests/fixtures/json-schema-test-suite");
    let files = suite_files(&root);
    assert!(files.len() > 30, "suite not found under {}", root.display());
    let mut ran = 0;
    let mut not_applicable: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures = BTreeSet::new();
    for file in &files {
        let text = std::fs::read_to_string(root.join(file)).unwrap();
        let cases: Vec<Case> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        for case in cases {
            let mut schema = case.schema.clone();
            if file.starts_with("formats-2020-12/") {
                // Only `format` matters there; the `$schema` names the suite's draft.
                if let Value::Object(map) = &mut schema {
                    map.remove("$schema");
                }
            }
            let reason = if unasserted_format(file) {
                Some("a format this tool does not assert".to_owned())
            } else {
                let (document, root) = as_components(schema.clone());
                let components = document
                    .pointer("/components/schemas")
                    .and_then(Value::as_object)
                    .cloned()
                    .unwrap_or_default();
                not_openapi(&root).or_else(|| components.values().find_map(not_openapi))
            };
            if let Some(reason) = reason {
                *not_applicable.entry(reason).or_default() += case.tests.len();
                continue;
            }
            let (document, schema) = as_components(schema);
            let converter = Converter::new(&document)
                .unwrap_or_else(|error| panic!("{file} / {}: {error}", case.description));
            let converted = converter
                .root(&schema, "", Direction::Response)
                .unwrap_or_else(|error| panic!("{file} / {}: {error}", case.description));
            let validator = contract::check::oracle::compile(&converted)
                .unwrap_or_else(|error| panic!("{file} / {}: {error}", case.description));
            for test in &case.tests {
                ran += 1;
                if validator.is_valid(&test.data) != test.valid {
                    failures.insert((
                        file.clone(),
                        case.description.clone(),
                        test.description.clone(),
                    ));
                }
            }
        }
    }
    let expected: BTreeSet<_> = XFAIL
        .iter()
        .map(|(file, case, test, _)| ((*file).to_owned(), (*case).to_owned(), (*test).to_owned()))
        .collect();
    let unexpected: Vec<_> = failures.difference(&expected).collect();
    let fixed: Vec<_> = expected.difference(&failures).collect();
    eprintln!("ran {ran} tests; not applicable: {not_applicable:#?}");
    assert!(
        unexpected.is_empty(),
        "unexpected failures: {unexpected:#?}"
    );
    assert!(
        fixed.is_empty(),
        "xfail cases now pass; remove them from XFAIL: {fixed:#?}"
    );
    assert!(ran > 300, "only {ran} suite tests ran");
}
