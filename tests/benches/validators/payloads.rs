#![allow(dead_code)]

//! What the validator benchmark (`benches/validators.rs`) measures, shared with the test that
//! keeps its build-time schemas fresh (`tests/generated_equals_oracle.rs`): per provider, the
//! largest valid body sample and the largest negative body sample of the same message, and the
//! converted JSON Schema of that message, committed as `schemas/<provider>.json` because the
//! `jsonschema` crate's build-time validator (`#[jsonschema::validator(path = ..)]`) reads it
//! while compiling.

use std::path::PathBuf;

use conformance::{Entry, MessageKind, Verdict, load_manifest, samples_dir, status_for};
use contract::check::contract::Contract;
use contract::spec::convert::Direction;
use serde_json::Value;

/// The providers, in the order the benchmark reports them.
pub const PROVIDERS: [&str; 5] = ["connectfi", "nueve09", "qitech", "undostres", "upmoney"];

/// One message of a provider with a valid and an invalid body.
#[derive(Debug, Clone)]
pub struct Payloads {
    pub provider: &'static str,
    pub operation: String,
    /// `None` for a request; else the status the response is checked under.
    pub status: Option<u16>,
    /// The converted JSON Schema of the message body.
    pub schema: Value,
    /// (sample file, bytes as found).
    pub valid: (String, Vec<u8>),
    pub invalid: (String, Vec<u8>),
}

/// Where a provider's converted schema is committed.
pub fn schema_file(provider: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("benches/validators/schemas")
        .join(format!("{provider}.json"))
}

/// The committed form of a converted schema.
pub fn schema_text(schema: &Value) -> String {
    format!(
        "{}\n",
        serde_json::to_string_pretty(schema).expect("JSON serializes")
    )
}

/// A body sample: its entry, bytes, and the message it belongs to.
struct Sample {
    entry: Entry,
    bytes: Vec<u8>,
    /// (operation, request or response status key).
    message: (String, Option<String>),
}

/// Whether the manifest expects a violation in the body itself (not in a parameter or header).
fn body_invalid(entry: &Entry) -> bool {
    entry.expect.iter().any(|expected| expected.part == "body")
}

/// The benchmark's payloads for a provider.
pub fn payloads(provider: &'static str) -> Payloads {
    let contract =
        Contract::load(conformance::specs_dir().join(format!("{provider}.yaml"))).unwrap();
    let mut samples: Vec<Sample> = load_manifest(provider)
        .samples
        .into_iter()
        .filter(|entry| !entry.malformed)
        .filter_map(|entry| {
            let key = match entry.message {
                MessageKind::Request => None,
                MessageKind::Response => entry.status.clone(),
                MessageKind::RequestHeaders => return None,
            };
            let bytes = std::fs::read(samples_dir(provider).join(&entry.file)).unwrap();
            serde_json::from_slice::<Value>(&bytes).ok()?;
            let message = (entry.operation.clone(), key);
            schema_of(&contract, &message)?;
            Some(Sample {
                entry,
                bytes,
                message,
            })
        })
        .collect();
    // Largest first; ties by file name, so the choice is stable.
    samples.sort_by(|a, b| {
        b.bytes
            .len()
            .cmp(&a.bytes.len())
            .then_with(|| a.entry.file.cmp(&b.entry.file))
    });
    let valid = samples.iter().filter(|s| s.entry.verdict == Verdict::Valid);
    for valid in valid {
        let invalid = samples.iter().find(|s| {
            s.message == valid.message
                && s.entry.verdict == Verdict::KnownInvalid
                && body_invalid(&s.entry)
        });
        if let Some(invalid) = invalid {
            let (operation, key) = valid.message.clone();
            return Payloads {
                provider,
                status: key
                    .as_ref()
                    .map(|key| status_for(&contract, &operation, key)),
                schema: schema_of(&contract, &valid.message).unwrap(),
                operation,
                valid: (valid.entry.file.clone(), valid.bytes.clone()),
                invalid: (invalid.entry.file.clone(), invalid.bytes.clone()),
            };
        }
    }
    panic!("{provider}: no message has both a valid and an invalid body sample")
}

/// The converted JSON Schema of a message body, if it has one.
fn schema_of(contract: &Contract, (operation, key): &(String, Option<String>)) -> Option<Value> {
    let operation = contract.operation(operation)?;
    let (pointer, direction) = match key {
        None => (
            operation.request_body.as_ref()?.schema.clone()?,
            Direction::Request,
        ),
        Some(key) => (
            operation
                .responses
                .iter()
                .find(|r| r.key.eq_ignore_ascii_case(key))?
                .schema
                .clone()?,
            Direction::Response,
        ),
    };
    contract.json_schema(&pointer, direction).ok()
}
