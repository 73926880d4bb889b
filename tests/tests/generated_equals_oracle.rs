//! The generated validators give the same answers as the oracle (the `jsonschema` crate over the
//! converted schema): the same verdict, and the same set of failing (instance path, keyword)
//! pairs, on every sample of every manifest and on property-generated mutations of them.

use std::collections::BTreeSet;

use conformance::{MessageKind, load_manifest, samples_dir};
use contract::contract::Contract;
use contract::convert::Direction;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

type Errors = BTreeSet<(String, String)>;

/// One generated crate behind a common face.
struct Generated {
    provider: &'static str,
    request: fn(&str, &Value) -> Option<Errors>,
    request_ok: fn(&str, &Value) -> bool,
    response: fn(&str, u16, &Value) -> Option<Errors>,
    response_ok: fn(&str, u16, &Value) -> bool,
}

macro_rules! generated {
    ($provider:literal, $krate:ident) => {
        Generated {
            provider: $provider,
            request: |operation, value| match $krate::validate_request(operation, value) {
                Ok(()) => Some(BTreeSet::new()),
                Err($krate::MessageError::Invalid(errors)) => Some(
                    errors
                        .iter()
                        .map(|e| (e.instance_path.clone(), e.kind.keyword().to_owned()))
                        .collect(),
                ),
                Err(_) => None,
            },
            request_ok: $krate::is_valid_request,
            response: |operation, status, value| {
                match $krate::validate_response(operation, status, value) {
                    Ok(()) => Some(BTreeSet::new()),
                    Err($krate::MessageError::Invalid(errors)) => Some(
                        errors
                            .iter()
                            .map(|e| (e.instance_path.clone(), e.kind.keyword().to_owned()))
                            .collect(),
                    ),
                    Err(_) => None,
                }
            },
            response_ok: $krate::is_valid_response,
        }
    };
}

fn all_generated() -> Vec<Generated> {
    vec![
        generated!("connectfi", connectfi_validator),
        generated!("nueve09", nueve09_validator),
        generated!("qitech", qitech_validator),
        generated!("undostres", undostres_validator),
        generated!("upmoney", upmoney_validator),
    ]
}

/// A message to compare on: which schema, and how the generated crate is asked.
struct Case {
    name: String,
    operation: String,
    /// `None` for a request.
    status: Option<u16>,
    validator: jsonschema::Validator,
    value: Value,
}

/// A concrete status that the spec routes to the response key `key`.
fn status_for(contract: &Contract, operation: &str, key: &str) -> u16 {
    let keys: Vec<String> = contract
        .operation(operation)
        .map(|op| op.responses.iter().map(|r| r.key.to_ascii_uppercase()).collect())
        .unwrap_or_default();
    if let Ok(code) = key.parse() {
        return code;
    }
    (100..=599)
        .find(|code: &u16| {
            let exact = keys.contains(&code.to_string());
            let range = keys.contains(&format!("{}XX", code / 100));
            match key.to_ascii_uppercase().as_str() {
                "DEFAULT" => !exact && !range,
                range_key => !exact && range_key == format!("{}XX", code / 100),
            }
        })
        .expect("some status reaches every documented key")
}

/// Every JSON body sample of a provider, with its oracle.
fn cases(provider: &str) -> (Contract, Vec<Case>) {
    let spec = conformance::specs_dir().join(format!("{provider}.yaml"));
    let contract = Contract::load(&spec).unwrap();
    let mut cases = Vec::new();
    for entry in load_manifest(provider).samples {
        let text = std::fs::read_to_string(samples_dir(provider).join(&entry.file)).unwrap();
        let Ok(value) = serde_json::from_str::<Value>(&text) else { continue };
        let operation = contract.operation(&entry.operation).unwrap().clone();
        let (pointer, direction, status) = match entry.message {
            MessageKind::Request => {
                let Some(schema) = operation.request_body.as_ref().and_then(|b| b.schema.clone()) else { continue };
                (schema, Direction::Request, None)
            }
            MessageKind::RequestHeaders => continue,
            MessageKind::Response => {
                let key = entry.status.clone().unwrap();
                let Some(schema) = operation
                    .responses
                    .iter()
                    .find(|r| r.key.eq_ignore_ascii_case(&key))
                    .and_then(|r| r.schema.clone())
                else {
                    continue;
                };
                (schema, Direction::Response, Some(status_for(&contract, &entry.operation, &key)))
            }
        };
        let root = contract.json_schema(&pointer, direction).unwrap();
        cases.push(Case {
            name: format!("{provider}/{}", entry.file),
            operation: entry.operation.clone(),
            status,
            validator: contract::oracle::compile(&root).unwrap(),
            value,
        });
    }
    (contract, cases)
}

fn oracle_errors(validator: &jsonschema::Validator, value: &Value) -> Errors {
    validator
        .iter_errors(value)
        .map(|e| (e.instance_path().as_str().to_owned(), e.kind().keyword().to_owned()))
        .collect()
}

/// Compares one value; returns a description of the difference, if any.
fn compare(generated: &Generated, case: &Case, value: &Value) -> Option<String> {
    let expected = oracle_errors(&case.validator, value);
    let (found, fast) = match case.status {
        None => ((generated.request)(&case.operation, value), (generated.request_ok)(&case.operation, value)),
        Some(status) => (
            (generated.response)(&case.operation, status, value),
            (generated.response_ok)(&case.operation, status, value),
        ),
    };
    let found = match found {
        Some(found) => found,
        None => return Some(format!("{}: the generated crate refused the message", case.name)),
    };
    if found != expected || fast != expected.is_empty() {
        return Some(format!(
            "{}: value {value}\n  oracle:    {expected:?}\n  generated: {found:?} (is_valid: {fast})",
            case.name
        ));
    }
    None
}

#[test]
fn generated_validators_equal_the_oracle_on_every_sample() {
    let mut compared = 0;
    let mut invalid = 0;
    let mut failures = Vec::new();
    for generated in all_generated() {
        let (_, cases) = cases(generated.provider);
        assert!(!cases.is_empty(), "{}: no cases", generated.provider);
        for case in &cases {
            compared += 1;
            if !case.validator.is_valid(&case.value) {
                invalid += 1;
            }
            failures.extend(compare(&generated, case, &case.value));
        }
    }
    assert!(compared > 200 && invalid > 150, "only {compared} samples ({invalid} invalid)");
    assert!(failures.is_empty(), "{} differences:\n{}", failures.len(), failures.join("\n"));
}

/// A mutation: a place in the value and what to do there.
#[derive(Debug, Clone)]
enum Mutation {
    Replace(usize, Value),
    Remove(usize),
    Insert(usize, String, Value),
}

/// Values a mutation may put somewhere: every JSON type, near-valid strings and numbers.
fn interesting_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1000i64..1000).prop_map(Value::from),
        (-200.0f64..200.0).prop_map(|f| serde_json::json!(f)),
        Just(serde_json::json!(0.000_01)),
        "[0-9]{0,8}".prop_map(Value::from),
        "[A-Za-z0-9_ -]{0,12}".prop_map(Value::from),
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{11,13}".prop_map(Value::from),
        "(19|20)[0-9]{2}-[01][0-9]-[0-3][0-9](T[0-2][0-9]:[0-5][0-9]:[0-6][0-9](\\.[0-9]{1,6})?(Z|[+-][01][0-9]:[0-5][0-9]))?".prop_map(Value::from),
        "[a-z]{1,6}@[a-z]{1,6}(\\.[a-z]{2,3})?".prop_map(Value::from),
        "[A-Z_]{2,12}".prop_map(Value::from),
        "####|1020-25|crda_[A-Za-z0-9]{6}|[+/=_-]{1,4}".prop_map(Value::from),
        Just(serde_json::json!({})),
        Just(serde_json::json!([])),
        Just(serde_json::json!(["x", 1])),
    ]
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), interesting_value()).prop_map(|(at, value)| Mutation::Replace(at, value)),
        any::<usize>().prop_map(Mutation::Remove),
        (any::<usize>(), "[a-zA-Z_]{1,10}", interesting_value())
            .prop_map(|(at, key, value)| Mutation::Insert(at, key, value)),
    ]
}

/// Every location in a value, as JSON pointers (the root first).
fn locations(value: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                locations(child, format!("{at}/{}", contract::pointer::escape(key)), out);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                locations(child, format!("{at}/{index}"), out);
            }
        }
        _ => {}
    }
}

fn apply(value: &mut Value, mutation: &Mutation) {
    let mut all = Vec::new();
    locations(value, String::new(), &mut all);
    let pick = |index: usize| all[index % all.len()].clone();
    match mutation {
        Mutation::Replace(at, new) => {
            if let Some(slot) = value.pointer_mut(&pick(*at)) {
                *slot = new.clone();
            }
        }
        Mutation::Remove(at) => {
            let target = pick(*at);
            let Some((parent, last)) = target.rsplit_once('/') else { return };
            let last = contract::pointer::unescape(last);
            match value.pointer_mut(parent) {
                Some(Value::Object(map)) => {
                    map.remove(&last);
                }
                Some(Value::Array(items)) => {
                    if let Ok(index) = last.parse::<usize>()
                        && index < items.len()
                    {
                        items.remove(index);
                    }
                }
                _ => {}
            }
        }
        Mutation::Insert(at, key, new) => match value.pointer_mut(&pick(*at)) {
            Some(Value::Object(map)) => {
                map.insert(key.clone(), new.clone());
            }
            Some(Value::Array(items)) => items.push(new.clone()),
            _ => {}
        },
    }
}

/// Valid and invalid samples, mutated one to three times: the generated verdict and error set
/// must still equal the oracle's.
#[test]
fn generated_validators_equal_the_oracle_on_mutations() {
    let mut runner = TestRunner::new(Config {
        cases: 3000,
        failure_persistence: None,
        ..Config::default()
    });
    let providers = all_generated();
    let all_cases: Vec<(usize, Vec<Case>)> = providers
        .iter()
        .enumerate()
        .map(|(index, generated)| (index, cases(generated.provider).1))
        .collect();
    let seeds: Vec<(usize, usize)> = all_cases
        .iter()
        .flat_map(|(provider, cases)| (0..cases.len()).map(move |case| (*provider, case)))
        .collect();
    let strategy = (0..seeds.len(), proptest::collection::vec(mutation(), 1..4));
    let result = runner.run(&strategy, |(seed, mutations)| {
        let (provider, case) = seeds[seed];
        let case = &all_cases[provider].1[case];
        let mut value = case.value.clone();
        for mutation in &mutations {
            apply(&mut value, mutation);
        }
        if let Some(difference) = compare(&providers[provider], case, &value) {
            return Err(TestCaseError::fail(difference));
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}
