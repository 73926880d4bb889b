//! Every constraint in every spec is broken by at least one hand-written negative sample (or a
//! known-invalid document sample): for each rule the spec states, a test proves the validator
//! reports it. Constraints are named by their location in the spec (`#/components/.../pattern`).

use std::collections::{BTreeMap, BTreeSet};

use conformance::{Outcome, Verdict, check_entry, load_manifest, provider_specs};
use contract::check::contract::Contract;
use contract::check::report::Part;
use contract::spec::pointer;
use serde_json::Value;

/// Keywords that state a checkable rule (beside `required`, handled per property).
const RULES: [&str; 16] = [
    "type",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "multipleOf",
    "enum",
    "oneOf",
    "anyOf",
    "not",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
];

/// Every constraint location reachable from the messages of a contract.
fn constraints(contract: &Contract) -> BTreeSet<String> {
    let document = &contract.spec().document;
    let mut found = BTreeSet::new();
    let mut visited = BTreeSet::new();
    for operation in contract.operations() {
        for parameter in &operation.parameters {
            if parameter.required && parameter.part != Part::Path {
                found.insert(format!("#{}/required", parameter.pointer));
            }
            if let Some(schema) = &parameter.schema {
                // A parameter arrives as text: a `type: string` on it can never fail.
                let mut from_parameter = BTreeSet::new();
                walk(document, schema, &mut from_parameter, &mut visited);
                from_parameter.retain(|location| {
                    !(location == &format!("#{schema}/type")
                        && document.pointer(schema).and_then(|s| s.get("type"))
                            == Some(&Value::from("string")))
                });
                found.extend(from_parameter);
            }
        }
        for requirement in &operation.security {
            for scheme in requirement {
                found.insert(format!(
                    "#{}",
                    pointer::join("/components/securitySchemes", scheme)
                ));
            }
        }
    }
    for (schema, _) in contract.message_schemas() {
        walk(document, &schema, &mut found, &mut visited);
    }
    found
}

fn walk(document: &Value, at: &str, found: &mut BTreeSet<String>, visited: &mut BTreeSet<String>) {
    if !visited.insert(at.to_owned()) {
        return;
    }
    let Some(node) = document.pointer(at).and_then(Value::as_object) else {
        return;
    };
    if let Some(target) = node
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
    {
        walk(document, target, found, visited);
        return;
    }
    for keyword in RULES {
        if node.contains_key(keyword) {
            found.insert(format!("#{at}/{keyword}"));
        }
    }
    for (bound, exclusive) in [
        ("minimum", "exclusiveMinimum"),
        ("maximum", "exclusiveMaximum"),
    ] {
        if node.get(exclusive) == Some(&Value::Bool(true))
            && found.remove(&format!("#{at}/{bound}"))
        {
            found.insert(format!("#{at}/{exclusive}"));
        }
    }
    if let Some(format) = node.get("format").and_then(Value::as_str)
        && contract::spec::convert::ASSERTED_FORMATS.contains(&format)
    {
        found.insert(format!("#{at}/format"));
    }
    match node.get("additionalProperties") {
        Some(Value::Bool(false)) => {
            found.insert(format!("#{at}/additionalProperties"));
        }
        Some(schema) if schema.is_object() => {
            walk(
                document,
                &format!("{at}/additionalProperties"),
                found,
                visited,
            );
        }
        _ => {}
    }
    if let Some(required) = node.get("required").and_then(Value::as_array) {
        for index in 0..required.len() {
            found.insert(format!("#{at}/required/{index}"));
        }
    }
    if let Some(properties) = node.get("properties").and_then(Value::as_object) {
        for name in properties.keys() {
            walk(
                document,
                &pointer::join(&pointer::join(at, "properties"), name),
                found,
                visited,
            );
        }
    }
    if node.contains_key("items") {
        walk(document, &format!("{at}/items"), found, visited);
    }
    // The validator reports a failing `oneOf`, `anyOf` or `not` as that keyword, never the rules
    // inside its branches, so the keyword itself is the constraint (counted above). `allOf`
    // reports its branches' own failures, so they are walked.
    for keyword in ["allOf"] {
        if let Some(branches) = node.get(keyword).and_then(Value::as_array) {
            for index in 0..branches.len() {
                walk(document, &format!("{at}/{keyword}/{index}"), found, visited);
            }
        }
    }
}

#[test]
fn every_constraint_is_broken_by_a_sample() {
    let mut report = Vec::new();
    let mut total = 0;
    for (provider, path) in provider_specs() {
        let contract = Contract::load(&path).unwrap_or_else(|error| panic!("{error}"));
        let wanted = constraints(&contract);
        total += wanted.len();
        let mut covered: BTreeMap<String, String> = BTreeMap::new();
        for entry in load_manifest(&provider)
            .samples
            .iter()
            .filter(|e| e.verdict == Verdict::KnownInvalid)
        {
            if let Outcome::Checked(checked) = check_entry(&contract, &provider, entry) {
                for violation in checked.violations {
                    if let Some(location) = violation.spec_location {
                        covered
                            .entry(location)
                            .or_insert_with(|| entry.file.clone());
                    }
                }
            }
        }
        let missing: Vec<_> = wanted
            .iter()
            .filter(|location| !covered.contains_key(*location))
            .collect();
        if !missing.is_empty() {
            report.push(format!(
                "{provider}: {} of {} constraints have no negative sample:\n  {}",
                missing.len(),
                wanted.len(),
                missing
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    assert!(total > 200, "only {total} constraints found in five specs");
    assert!(report.is_empty(), "{}", report.join("\n"));
}
