//! The generated models: every valid sample deserialises and re-serialises to an equal value, and
//! no sensitive value of any sample appears in the model's `Debug` output.

use conformance::{MessageKind, Verdict, load_manifest, samples_dir, specs_dir, status_for};
use contract::check::contract::Contract;
use contract::spec::convert::Direction;
use serde_json::Value;

type Decode = fn(&str, Option<u16>, &Value) -> Option<Result<(String, Value), String>>;

macro_rules! decoder {
    ($krate:ident) => {
        |operation, status, value| {
            let decoded = match status {
                None => $krate::models::decode_request(operation, value),
                Some(status) => $krate::models::decode_response(operation, status, value),
            };
            decoded.map(|result| {
                result
                    .map(|decoded| (decoded.debug, decoded.json))
                    .map_err(|error| error.to_string())
            })
        }
    };
}

fn decoders() -> Vec<(&'static str, Decode)> {
    vec![
        ("connectfi", decoder!(connectfi_validator)),
        ("nueve09", decoder!(nueve09_validator)),
        ("qitech", decoder!(qitech_validator)),
        ("undostres", decoder!(undostres_validator)),
        ("upmoney", decoder!(upmoney_validator)),
    ]
}

/// JSON equality where numbers compare by value (`0` and `0.0` are the same number).
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(key, value)| y.get(key).is_some_and(|other| same(value, other)))
        }
        _ => a == b,
    }
}

/// Scalar values of a message, split into those at sensitive locations and the others.
fn scalars(
    root: &Value,
    value: &Value,
    at: Vec<String>,
    secret: &mut Vec<String>,
    public: &mut Vec<String>,
) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let mut next = at.clone();
                next.push(key.clone());
                scalars(root, child, next, secret, public);
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                let mut next = at.clone();
                next.push(index.to_string());
                scalars(root, child, next, secret, public);
            }
        }
        scalar => {
            let text = scalar
                .as_str()
                .map_or_else(|| scalar.to_string(), str::to_owned);
            if contract::spec::sensitive::is_sensitive(root, &at) {
                secret.push(text);
            } else {
                public.push(text);
            }
        }
    }
}

#[test]
fn valid_samples_round_trip_and_secrets_stay_out_of_debug() {
    let mut round_trips = 0;
    let mut secrets_checked = 0;
    let mut failures = Vec::new();
    for (provider, decode) in decoders() {
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
            let name = format!("{provider}/{}", entry.file);
            let Some(decoded) = decode(&entry.operation, status, &value) else {
                continue;
            };
            match (entry.verdict, decoded) {
                (Verdict::Valid, Ok((debug, json))) => {
                    round_trips += 1;
                    if !same(&json, &value) {
                        failures.push(format!("{name}: round trip changed the value:\n  before {value}\n  after  {json}"));
                    }
                    let root = contract.json_schema(&schema.unwrap(), direction).unwrap();
                    let (mut secrets, mut public) = (Vec::new(), Vec::new());
                    scalars(&root, &value, Vec::new(), &mut secrets, &mut public);
                    // A secret can only be searched for when it is long enough and not also a
                    // public value of the same message (placeholders such as "string").
                    secrets.retain(|secret| secret.len() >= 4 && !public.contains(secret));
                    for secret in secrets {
                        secrets_checked += 1;
                        if debug.contains(&secret) {
                            failures
                                .push(format!("{name}: a sensitive value shows in Debug: {debug}"));
                        }
                    }
                }
                (Verdict::Valid, Err(error)) => failures.push(format!(
                    "{name}: a valid sample does not deserialise: {error}"
                )),
                (Verdict::KnownInvalid, _) => {}
            }
        }
    }
    assert!(
        round_trips >= 20,
        "only {round_trips} valid samples round-tripped"
    );
    assert!(
        secrets_checked >= 5,
        "only {secrets_checked} sensitive values checked"
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Constrained strings are checked when built, and a sensitive one never shows its value.
#[test]
fn constrained_strings_check_on_construction_and_redact_secrets() {
    use upmoney_validator::models::ActivatePhysicalCardRequestActivationCode as Code;
    let code = Code::new("123456").expect("six digits conform");
    assert_eq!(code.as_str(), "123456");
    assert!(!format!("{code:?} {code}").contains("123456"));
    let errors = Code::new("12345x7").unwrap_err();
    let keywords: Vec<_> = errors.iter().map(|e| e.kind.keyword()).collect();
    assert_eq!(keywords, ["maxLength", "pattern"]);
    assert!(errors.iter().all(|e| !e.to_string().contains("12345x7")));
    let parsed: Result<Code, _> = serde_json::from_str("\"98a\"");
    let message = parsed.unwrap_err().to_string();
    assert!(
        message.contains("pattern") && !message.contains("98a"),
        "{message}"
    );
}
