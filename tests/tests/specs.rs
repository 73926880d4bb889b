//! Each spec is structurally valid OpenAPI 3.0.3 (the official 3.0 JSON Schema), parses with
//! `openapiv3` without loss, loads as a contract, documents every `x-` extension it uses, and its
//! named examples conform to their own schemas.

use std::collections::BTreeSet;

use conformance::{provider_specs, repo_root, specs_dir};
use contract::check::contract::Contract;
use contract::spec::Spec;
use contract::spec::convert::Direction;
use serde_json::Value;

fn load_all() -> Vec<(String, Spec)> {
    let specs: Vec<_> = provider_specs()
        .into_iter()
        .map(|(name, path)| {
            (
                name,
                Spec::load(&path).unwrap_or_else(|error| panic!("{error}")),
            )
        })
        .collect();
    let names: Vec<_> = specs.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(
        names,
        ["connectfi", "nueve09", "qitech", "undostres", "upmoney"]
    );
    specs
}

#[test]
fn specs_are_valid_openapi_3_0_3() {
    let path = repo_root().join("tests/fixtures/openapi-3.0/schema.json");
    let meta: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&meta)
        .expect("the OpenAPI 3.0 schema compiles");
    let mut failures = Vec::new();
    for (name, spec) in load_all() {
        assert_eq!(spec.at("/openapi"), Some(&Value::from("3.0.3")), "{name}");
        for error in validator.iter_errors(&spec.document) {
            failures.push(format!(
                "{name}: at #{}: {}",
                error.instance_path().as_str(),
                error
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_structural_check_rejects_a_broken_spec() {
    let path = repo_root().join("tests/fixtures/openapi-3.0/schema.json");
    let meta: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .build(&meta)
        .unwrap();
    let broken = serde_json::json!({
        "openapi": "3.0.3", "info": {"title": "t", "version": "1"},
        "paths": {"/a": {"get": {"responses": {"200": {"description": "ok",
            "content": {"application/json": {"schema": {"type": "string", "const": 1}}}}}}}}
    });
    assert!(
        !validator.is_valid(&broken),
        "`const` is not an OpenAPI 3.0 keyword"
    );
}

#[test]
fn specs_parse_with_openapiv3_without_loss() {
    for (name, spec) in load_all() {
        let round_trip = serde_json::to_value(&spec.openapi).unwrap();
        let mut differences = Vec::new();
        diff("", &spec.document, &round_trip, &mut differences);
        assert!(
            differences.is_empty(),
            "{name}: openapiv3 loses or changes:\n{}",
            differences.join("\n")
        );
    }
}

/// `openapiv3` writes out some defaults the OpenAPI specification defines; adding a default loses
/// nothing. The list is explicit so that any other addition still fails.
fn is_openapi_default(at: &str, parent: &serde_json::Map<String, Value>, value: &Value) -> bool {
    if !at.ends_with("/style") {
        return false;
    }
    let in_headers = at.split('/').rev().nth(2) == Some("headers");
    let default = match parent.get("in").and_then(Value::as_str) {
        Some("query" | "cookie") => "form",
        Some("path" | "header") => "simple",
        _ if in_headers => "simple",
        _ => return false,
    };
    value == default
}

fn diff(at: &str, left: &Value, right: &Value, out: &mut Vec<String>) {
    match (left, right) {
        (Value::Object(a), Value::Object(b)) => {
            for key in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
                let here = contract::spec::pointer::join(at, key);
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => diff(&here, x, y, out),
                    (Some(_), None) => out.push(format!("#{here}: dropped")),
                    (None, Some(y)) if is_openapi_default(&here, a, y) => {}
                    (None, Some(y)) => out.push(format!("#{here}: added {y}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                diff(&format!("{at}/{index}"), x, y, out);
            }
        }
        (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => {}
        _ if left == right => {}
        _ => out.push(format!("#{at}: {left} became {right}")),
    }
}

#[test]
fn specs_load_as_contracts_with_unique_operation_ids() {
    for (name, spec) in load_all() {
        let contract = Contract::new(spec).unwrap_or_else(|error| panic!("{name}: {error}"));
        let mut ids = BTreeSet::new();
        for operation in contract.operations() {
            let id = operation.operation_id.clone().unwrap_or_else(|| {
                panic!(
                    "{name}: {} {} has no operationId",
                    operation.method, operation.template
                )
            });
            assert!(
                ids.insert(id.clone()),
                "{name}: operationId {id} is used twice"
            );
            let raw = contract.spec().at(&operation.pointer).unwrap();
            assert!(
                raw.get("x-idempotent").is_some_and(Value::is_boolean),
                "{name}/{id}: x-idempotent missing"
            );
            assert!(!operation.responses.is_empty(), "{name}/{id}: no responses");
        }
    }
}

/// Every `x-` key used in a spec is documented in specs/README.md.
#[test]
fn every_extension_is_documented() {
    let readme = std::fs::read_to_string(specs_dir().join("README.md")).unwrap();
    let mut failures = Vec::new();
    for (name, spec) in load_all() {
        let mut used = BTreeSet::new();
        extensions(&spec.document, false, &mut used);
        for extension in used {
            if !readme.contains(&format!("`{extension}`")) {
                failures.push(format!(
                    "{name}: `{extension}` is not documented in specs/README.md"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Collects `x-` keys, skipping maps whose keys are names chosen by the author (properties,
/// header names, example names), where `x-secret` is a header, not an extension.
fn extensions(value: &Value, names: bool, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if !names && key.starts_with("x-") {
                    out.insert(key.clone());
                    continue;
                }
                let child_names = !names
                    && matches!(
                        key.as_str(),
                        "properties"
                            | "headers"
                            | "examples"
                            | "schemas"
                            | "securitySchemes"
                            | "responses"
                            | "paths"
                            | "content"
                            | "variables"
                            | "parameters"
                            | "requestBodies"
                            | "callbacks"
                            | "links"
                    );
                extensions(child, child_names, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| extensions(item, false, out)),
        _ => {}
    }
}

#[test]
fn discrepancies_are_well_formed() {
    const KINDS: [&str; 10] = [
        "sample-breaks-rule",
        "invalid-json",
        "placeholder",
        "misspelling",
        "two-hosts",
        "name-mismatch",
        "repeated-message",
        "conflicting-rule",
        "notes-conflict",
        "other",
    ];
    let mut total = 0;
    for (name, spec) in load_all() {
        let contract = Contract::new(spec).unwrap();
        let mut ids = BTreeSet::new();
        for operation in contract.operations() {
            let raw = contract.spec().at(&operation.pointer).unwrap();
            let Some(list) = raw.get("x-doc-discrepancies") else {
                continue;
            };
            for item in list
                .as_array()
                .unwrap_or_else(|| panic!("{name}: x-doc-discrepancies must be a list"))
            {
                total += 1;
                let field = |key: &str| {
                    item.get(key)
                        .and_then(Value::as_str)
                        .unwrap_or_else(|| panic!("{name}: discrepancy {item} lacks `{key}`"))
                };
                assert!(
                    ids.insert(field("id").to_owned()),
                    "{name}: discrepancy id {} repeated",
                    field("id")
                );
                assert!(
                    KINDS.contains(&field("kind")),
                    "{name}: unknown kind {}",
                    field("kind")
                );
                for key in ["document", "conflict", "decision"] {
                    assert!(
                        !field(key).trim().is_empty(),
                        "{name}/{}: empty {key}",
                        field("id")
                    );
                }
            }
        }
    }
    assert!(
        total >= 15,
        "only {total} discrepancies recorded across five documents"
    );
}

/// Named examples (and `example`s) of request and response bodies conform to their schemas: the
/// spec's own illustrations must not contradict it.
#[test]
fn named_examples_conform_to_their_schemas() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (name, spec) in load_all() {
        let contract = Contract::new(spec).unwrap();
        for (schema_pointer, direction) in contract.message_schemas() {
            let Some(media_pointer) = schema_pointer.strip_suffix("/schema") else {
                continue;
            };
            let media = contract.spec().at(media_pointer).unwrap();
            let mut examples: Vec<(String, &Value)> = Vec::new();
            if let Some(example) = media.get("example") {
                examples.push(("example".to_owned(), example));
            }
            if let Some(named) = media.get("examples").and_then(Value::as_object) {
                for (example_name, example) in named {
                    if let Some(value) = example.get("value") {
                        examples.push((example_name.clone(), value));
                    }
                }
            }
            if examples.is_empty() {
                continue;
            }
            let root = contract.json_schema(&schema_pointer, direction).unwrap();
            let validator = contract::check::oracle::compile(&root).unwrap();
            for (example_name, value) in examples {
                checked += 1;
                for error in validator.iter_errors(value) {
                    failures.push(format!(
                        "{name}: #{media_pointer} example {example_name}: {} at {}",
                        error,
                        error.instance_path().as_str()
                    ));
                }
            }
        }
        let _ = Direction::Request;
    }
    assert!(checked >= 30, "only {checked} named examples found");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
