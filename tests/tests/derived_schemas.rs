//! The JSON Schema schemars derives from each generated model accepts and rejects the same
//! samples as the spec's own (converted) schema, so services built on the models publish the
//! contract they implement. Known differences are listed with the reason.

use conformance::{MessageKind, load_manifest, samples_dir, specs_dir, status_for};
use contract::check::contract::Contract;
use contract::spec::convert::Direction;
use serde_json::Value;

type Derive = fn(&str, Option<u16>) -> Option<Value>;

macro_rules! deriver {
    ($krate:ident) => {
        |operation, status| {
            let schema = match status {
                None => $krate::models::request_json_schema(operation),
                Some(status) => $krate::models::response_json_schema(operation, status),
            };
            schema.map(|schema| serde_json::to_value(schema).expect("schemas serialize"))
        }
    };
}

/// (sample, why the derived schema decides differently).
const XFAIL: &[(&str, &str)] = &[];

#[test]
fn derived_schemas_agree_with_the_spec_on_every_sample() {
    let providers: Vec<(&str, Derive)> = vec![
        ("connectfi", deriver!(connectfi_validator)),
        ("nueve09", deriver!(nueve09_validator)),
        ("qitech", deriver!(qitech_validator)),
        ("undostres", deriver!(undostres_validator)),
        ("upmoney", deriver!(upmoney_validator)),
    ];
    let mut compared = 0;
    let mut differences = Vec::new();
    for (provider, derive) in providers {
        let contract = Contract::load(specs_dir().join(format!("{provider}.yaml"))).unwrap();
        for entry in load_manifest(provider).samples {
            let text = std::fs::read_to_string(samples_dir(provider).join(&entry.file)).unwrap();
            let Ok(value) = serde_json::from_str::<Value>(&text) else {
                continue;
            };
            let operation = contract.operation(&entry.operation).unwrap();
            let (status, schema, direction) = match entry.message {
                MessageKind::Request => (
                    None,
                    operation
                        .request_body
                        .as_ref()
                        .and_then(|b| b.schema.clone()),
                    Direction::Request,
                ),
                MessageKind::Response => {
                    let key = entry.status.clone().unwrap();
                    let schema = operation
                        .responses
                        .iter()
                        .find(|r| r.key.eq_ignore_ascii_case(&key))
                        .and_then(|r| r.schema.clone());
                    (
                        Some(status_for(&contract, &entry.operation, &key)),
                        schema,
                        Direction::Response,
                    )
                }
                MessageKind::RequestHeaders => continue,
            };
            let (Some(schema), Some(derived)) = (schema, derive(&entry.operation, status)) else {
                continue;
            };
            let spec = contract::check::oracle::compile(
                &contract.json_schema(&schema, direction).unwrap(),
            )
            .unwrap();
            let derived = contract::check::oracle::compile(&derived)
                .unwrap_or_else(|error| panic!("{provider}: derived schema: {error}"));
            compared += 1;
            let name = format!("{provider}/{}", entry.file);
            if spec.is_valid(&value) != derived.is_valid(&value) {
                differences.push(name);
            }
        }
    }
    let expected: Vec<String> = XFAIL.iter().map(|(name, _)| (*name).to_owned()).collect();
    let unexpected: Vec<_> = differences
        .iter()
        .filter(|d| !expected.contains(d))
        .collect();
    let fixed: Vec<_> = expected
        .iter()
        .filter(|e| !differences.contains(e))
        .collect();
    assert!(compared > 200, "only {compared} samples compared");
    assert!(
        unexpected.is_empty(),
        "derived schemas disagree with the spec on:\n{unexpected:#?}"
    );
    assert!(fixed.is_empty(), "now agree; remove from XFAIL: {fixed:#?}");
}
