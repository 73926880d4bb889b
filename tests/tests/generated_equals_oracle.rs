//! The generated validators give the same answers as the oracle (the `jsonschema` crate over the
//! converted schema): the same verdict, and the same set of failing (instance path, keyword)
//! pairs, on every sample of every manifest and on property-generated mutations of them.
//!
//! The one-pass bytes path (`validate_*_bytes`) is held to the same: every sample and every
//! mutation also goes through it, serialized compactly and pretty-printed, and must give the
//! oracle's set and exactly the `Value` path's errors (same order, schema paths and kinds).
//! Malformed bytes must give serde_json's line and column, and repeated keys must be read as
//! `serde_json::from_slice::<Value>` reads them (the last occurrence wins).

use std::collections::BTreeSet;

use conformance::{MessageKind, load_manifest, samples_dir, status_for};
use contract::check::contract::Contract;
use contract::spec::convert::Direction;
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
    /// The `Value` path's full answer.
    request_full: fn(&str, &Value) -> Answer,
    response_full: fn(&str, u16, &Value) -> Answer,
    /// The bytes path's full answer.
    request_bytes: fn(&str, &[u8]) -> Answer,
    response_bytes: fn(&str, u16, &[u8]) -> Answer,
}

/// One error, spelled out: (instance path, schema path, keyword, kind).
type Spelled = (String, String, String, String);

/// A full answer of a generated crate, comparable across crates.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Answer {
    Valid,
    /// Every error, in the order reported.
    Invalid(Vec<Spelled>),
    /// Not JSON: serde_json's line and column.
    Malformed(usize, usize),
    /// Any other refusal (unknown operation, undocumented status).
    Refused(String),
}

impl Answer {
    /// The (instance path, keyword) pairs, as the oracle is compared on.
    fn pairs(&self) -> Errors {
        match self {
            Answer::Invalid(errors) => errors
                .iter()
                .map(|(path, _, keyword, _)| (path.clone(), keyword.clone()))
                .collect(),
            _ => BTreeSet::new(),
        }
    }
}

/// Turns a generated crate's result into an [`Answer`].
macro_rules! answer {
    ($krate:ident, $result:expr) => {
        match $result {
            Ok(()) => Answer::Valid,
            Err($krate::MessageError::Invalid(errors)) => Answer::Invalid(
                errors
                    .iter()
                    .map(|e| {
                        // The tables list every keyword a node reports, so no error builds
                        // its schema path.
                        assert!(
                            matches!(e.schema_path, std::borrow::Cow::Borrowed(_)),
                            "{} is not one of its node's static paths",
                            e.schema_path
                        );
                        (
                            e.instance_path.clone(),
                            e.schema_path.to_string(),
                            e.kind.keyword().to_owned(),
                            format!("{:?}", e.kind),
                        )
                    })
                    .collect(),
            ),
            Err($krate::MessageError::Malformed { line, column, .. }) => {
                Answer::Malformed(line, column)
            }
            Err(other) => Answer::Refused(other.to_string()),
        }
    };
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
            response: |operation, status, value| match $krate::validate_response(
                operation, status, value,
            ) {
                Ok(()) => Some(BTreeSet::new()),
                Err($krate::MessageError::Invalid(errors)) => Some(
                    errors
                        .iter()
                        .map(|e| (e.instance_path.clone(), e.kind.keyword().to_owned()))
                        .collect(),
                ),
                Err(_) => None,
            },
            response_ok: $krate::is_valid_response,
            request_full: |operation, value| {
                answer!($krate, $krate::validate_request(operation, value))
            },
            response_full: |operation, status, value| {
                answer!($krate, $krate::validate_response(operation, status, value))
            },
            request_bytes: |operation, bytes| {
                answer!($krate, $krate::validate_request_bytes(operation, bytes))
            },
            response_bytes: |operation, status, bytes| {
                answer!(
                    $krate,
                    $krate::validate_response_bytes(operation, status, bytes)
                )
            },
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
    /// The sample file as found.
    bytes: Vec<u8>,
}

/// Every JSON body sample of a provider, with its oracle.
fn cases(provider: &str) -> (Contract, Vec<Case>) {
    let (contract, cases, _) = load_cases(provider);
    (contract, cases)
}

/// Every body sample of a provider with its oracle: those that are JSON, then those that are
/// not (their `value` is `null`).
fn load_cases(provider: &str) -> (Contract, Vec<Case>, Vec<Case>) {
    let spec = conformance::specs_dir().join(format!("{provider}.yaml"));
    let contract = Contract::load(&spec).unwrap();
    let mut cases = Vec::new();
    let mut malformed = Vec::new();
    for entry in load_manifest(provider).samples {
        let bytes = std::fs::read(samples_dir(provider).join(&entry.file)).unwrap();
        let parsed = serde_json::from_slice::<Value>(&bytes);
        let operation = contract.operation(&entry.operation).unwrap().clone();
        let (pointer, direction, status) = match entry.message {
            MessageKind::Request => {
                let Some(schema) = operation
                    .request_body
                    .as_ref()
                    .and_then(|b| b.schema.clone())
                else {
                    continue;
                };
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
                (
                    schema,
                    Direction::Response,
                    Some(status_for(&contract, &entry.operation, &key)),
                )
            }
        };
        let root = contract.json_schema(&pointer, direction).unwrap();
        let case = Case {
            name: format!("{provider}/{}", entry.file),
            operation: entry.operation.clone(),
            status,
            validator: contract::check::oracle::compile(&root).unwrap(),
            value: parsed.as_ref().cloned().unwrap_or(Value::Null),
            bytes,
        };
        match parsed {
            Ok(_) => cases.push(case),
            Err(_) => malformed.push(case),
        }
    }
    (contract, cases, malformed)
}

fn oracle_errors(validator: &jsonschema::Validator, value: &Value) -> Errors {
    validator
        .iter_errors(value)
        .map(|e| {
            (
                e.instance_path().as_str().to_owned(),
                e.kind().keyword().to_owned(),
            )
        })
        .collect()
}

/// Compares one value; returns a description of the difference, if any.
fn compare(generated: &Generated, case: &Case, value: &Value) -> Option<String> {
    let expected = oracle_errors(&case.validator, value);
    let (found, fast) = match case.status {
        None => (
            (generated.request)(&case.operation, value),
            (generated.request_ok)(&case.operation, value),
        ),
        Some(status) => (
            (generated.response)(&case.operation, status, value),
            (generated.response_ok)(&case.operation, status, value),
        ),
    };
    let found = match found {
        Some(found) => found,
        None => {
            return Some(format!(
                "{}: the generated crate refused the message",
                case.name
            ));
        }
    };
    if found != expected || fast != expected.is_empty() {
        return Some(format!(
            "{}: value {value}\n  oracle:    {expected:?}\n  generated: {found:?} (is_valid: {fast})",
            case.name
        ));
    }
    let compact = serde_json::to_vec(value).unwrap();
    let pretty = serde_json::to_vec_pretty(value).unwrap();
    for bytes in [&compact, &pretty] {
        if let Some(difference) = compare_bytes(generated, case, bytes) {
            return Some(difference);
        }
    }
    None
}

/// The `Value` path's answer for raw bytes: `serde_json::from_slice`, then `validate_*`.
fn value_answer(generated: &Generated, case: &Case, bytes: &[u8]) -> Answer {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => match case.status {
            None => (generated.request_full)(&case.operation, &value),
            Some(status) => (generated.response_full)(&case.operation, status, &value),
        },
        Err(error) => Answer::Malformed(error.line(), error.column()),
    }
}

/// The bytes path's answer.
fn bytes_answer(generated: &Generated, case: &Case, bytes: &[u8]) -> Answer {
    match case.status {
        None => (generated.request_bytes)(&case.operation, bytes),
        Some(status) => (generated.response_bytes)(&case.operation, status, bytes),
    }
}

/// Compares the bytes path on raw bytes with parsing then validating, and with the oracle on
/// the parsed value; returns a description of the difference, if any.
fn compare_bytes(generated: &Generated, case: &Case, bytes: &[u8]) -> Option<String> {
    let through_value = value_answer(generated, case, bytes);
    let found = bytes_answer(generated, case, bytes);
    let oracle = match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => Some(oracle_errors(&case.validator, &value)),
        Err(_) => None,
    };
    let oracle_differs = oracle
        .as_ref()
        .is_some_and(|oracle| *oracle != found.pairs());
    if found != through_value || oracle_differs {
        return Some(format!(
            "{}: bytes {}\n  oracle:      {oracle:?}\n  value path:  {through_value:?}\n  bytes path:  {found:?}",
            case.name,
            String::from_utf8_lossy(bytes)
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
            // The file as found, not re-serialized.
            failures.extend(compare_bytes(&generated, case, &case.bytes));
        }
    }
    assert!(
        compared > 200 && invalid > 150,
        "only {compared} samples ({invalid} invalid)"
    );
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures.join("\n")
    );
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
                locations(
                    child,
                    format!("{at}/{}", contract::spec::pointer::escape(key)),
                    out,
                );
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
            let Some((parent, last)) = target.rsplit_once('/') else {
                return;
            };
            let last = contract::spec::pointer::unescape(last);
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

/// Bytes that are not JSON: the bytes path stops where serde_json does (same line and column as
/// `from_slice::<Value>`), on the malformed samples and on every sample cut short or corrupted
/// at every byte.
#[test]
fn bytes_path_reports_malformed_json_where_serde_json_does() {
    const CORRUPTIONS: &[u8] = &[0xFF, b'}', b']', b',', b'"', b'\\', b'1', b':', 0x01, b'-'];
    let mut malformed = 0;
    let mut failures = Vec::new();
    for generated in all_generated() {
        let (_, cases, bad) = load_cases(generated.provider);
        for case in &bad {
            malformed += 1;
            failures.extend(compare_bytes(&generated, case, &case.bytes));
        }
        for case in &cases {
            for cut in 0..case.bytes.len() {
                let mut corrupted = case.bytes.clone();
                corrupted[cut] = CORRUPTIONS[cut % CORRUPTIONS.len()];
                for bytes in [&case.bytes[..cut], &corrupted[..]] {
                    if matches!(value_answer(&generated, case, bytes), Answer::Malformed(..)) {
                        malformed += 1;
                    }
                    failures.extend(compare_bytes(&generated, case, bytes));
                }
            }
        }
    }
    assert!(malformed > 10_000, "only {malformed} malformed inputs");
    failures.truncate(20);
    assert!(failures.is_empty(), "differences:\n{}", failures.join("\n"));
}

/// Where an object repeats a key, and with what.
#[derive(Debug, Clone)]
struct Repeat {
    /// Which object (an index into its objects).
    object: usize,
    /// Which of its keys (or a new one when it has none).
    key: usize,
    value: Value,
    /// The repeat comes first (the original value wins) or last (the repeat wins).
    first: bool,
}

/// Writes `value` as JSON, with the object at `target` repeating one of its keys.
fn write_repeating(value: &Value, here: &str, target: &str, repeat: &Repeat, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<String> = map
                .iter()
                .map(|(key, child)| {
                    let mut entry = serde_json::to_string(key).unwrap();
                    entry.push(':');
                    let at = format!("{here}/{}", contract::spec::pointer::escape(key));
                    write_repeating(child, &at, target, repeat, &mut entry);
                    entry
                })
                .collect();
            if here == target {
                let key = map
                    .keys()
                    .nth(repeat.key % map.len().max(1))
                    .cloned()
                    .unwrap_or_else(|| "repeated".to_owned());
                let extra = format!("{}:{}", serde_json::to_string(&key).unwrap(), repeat.value);
                if repeat.first {
                    entries.insert(0, extra);
                } else {
                    entries.push(extra);
                }
            }
            out.push('{');
            out.push_str(&entries.join(","));
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(',');
                }
                write_repeating(item, &format!("{here}/{index}"), target, repeat, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Samples, mutated and then written with a repeated key somewhere: the bytes path must read
/// them as `serde_json::from_slice::<Value>` does (the last occurrence wins) and agree with the
/// oracle on that value.
#[test]
fn bytes_path_reads_repeated_keys_as_serde_json_does() {
    let mut runner = TestRunner::new(Config {
        cases: 1000,
        failure_persistence: None,
        ..Config::default()
    });
    let providers = all_generated();
    let all_cases: Vec<Vec<Case>> = providers
        .iter()
        .map(|generated| cases(generated.provider).1)
        .collect();
    let seeds: Vec<(usize, usize)> = all_cases
        .iter()
        .enumerate()
        .flat_map(|(provider, cases)| (0..cases.len()).map(move |case| (provider, case)))
        .collect();
    let repeat = (
        any::<usize>(),
        any::<usize>(),
        interesting_value(),
        any::<bool>(),
    )
        .prop_map(|(object, key, value, first)| Repeat {
            object,
            key,
            value,
            first,
        });
    let strategy = (
        0..seeds.len(),
        proptest::collection::vec(mutation(), 0..3),
        repeat,
    );
    let result = runner.run(&strategy, |(seed, mutations, repeat)| {
        let (provider, case) = seeds[seed];
        let case = &all_cases[provider][case];
        let mut value = case.value.clone();
        for mutation in &mutations {
            apply(&mut value, mutation);
        }
        let mut all = Vec::new();
        locations(&value, String::new(), &mut all);
        let objects: Vec<&String> = all
            .iter()
            .filter(|at| value.pointer(at).is_some_and(Value::is_object))
            .collect();
        if objects.is_empty() {
            return Ok(());
        }
        let target = objects[repeat.object % objects.len()];
        let mut text = String::new();
        write_repeating(&value, "", target, &repeat, &mut text);
        if let Some(difference) = compare_bytes(&providers[provider], case, text.as_bytes()) {
            return Err(TestCaseError::fail(difference));
        }
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

#[path = "../benches/validators/payloads.rs"]
mod payloads;

/// The converted schemas that the validator benchmark compiles with the oracle's build-time
/// validator (committed, since the macro reads them while compiling) are those of the messages
/// it measures. `BLESS=1` rewrites them.
#[test]
fn benchmark_schemas_are_fresh() {
    let bless = std::env::var_os("BLESS").is_some();
    let mut stale = Vec::new();
    for provider in payloads::PROVIDERS {
        let payloads = payloads::payloads(provider);
        let expected = payloads::schema_text(&payloads.schema);
        let file = payloads::schema_file(provider);
        if bless {
            std::fs::write(&file, &expected).unwrap();
        } else if std::fs::read_to_string(&file).ok().as_deref() != Some(expected.as_str()) {
            stale.push(file.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale benchmark schemas (rerun with BLESS=1): {stale:?}"
    );
}
