//! One mocked provider: its contract, where it is served (path prefix and server hosts), its
//! scenario and card store, and the documented responses it can send (named examples and
//! converted schemas, read once at start). It decides *what* to answer; it must not know about
//! HTTP connections, and it must never send a body the contract rejects when it can avoid it.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use contract::check::contract::{Contract, Operation};
use contract::check::message::Response;
use contract::spec::convert::Direction;
use contract::spec::pointer;
use rand::rngs::StdRng;
use serde_json::Value;

use crate::fake;
use crate::scenario::{Card, Outcome, Scenario};

/// A documented response of one operation, ready to send.
#[derive(Debug, Clone)]
struct Documented {
    /// Named examples, in spec order.
    examples: Vec<(String, Value)>,
    /// The converted JSON Schema of the body, when one is documented.
    schema: Option<Value>,
}

/// What to send: the status, a JSON body if any, extra headers.
#[derive(Debug, Clone, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub body: Option<Value>,
    /// `application/json` for documented bodies, `application/problem+json` for the mock's own.
    pub content_type: &'static str,
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// The mock's own error (`application/problem+json`, RFC 9457): never a documented response.
    pub fn problem(status: u16, title: &str, detail: impl Into<String>, extra: Value) -> Reply {
        let mut body = serde_json::json!({
            "type": "about:blank",
            "title": title,
            "status": status,
            "detail": detail.into(),
        });
        if let (Some(body), Value::Object(extra)) = (body.as_object_mut(), extra) {
            body.extend(extra);
        }
        Reply {
            status,
            body: Some(body),
            content_type: "application/problem+json",
            headers: Vec::new(),
        }
    }
}

/// How a body is chosen for a documented response.
#[derive(Debug, Clone, Default)]
pub struct Choice<'a> {
    pub example: Option<&'a str>,
    pub dynamic: bool,
    pub set: Option<&'a BTreeMap<String, Value>>,
    pub card: Option<&'a str>,
}

#[derive(Debug)]
pub struct Provider {
    /// The path prefix (`/upmoney`) without its slash: the crate base name of the spec.
    pub name: String,
    pub contract: Contract,
    /// Lower-case `host[:port]` of every server URL without a variable in its host.
    pub hosts: Vec<String>,
    pub scenario: Scenario,
    seeds: Vec<Card>,
    store: Mutex<BTreeMap<String, Card>>,
    /// Per operation pointer, per response key.
    documented: HashMap<String, BTreeMap<String, Documented>>,
}

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error(transparent)]
    Spec(#[from] contract::SpecError),
    #[error(transparent)]
    Contract(#[from] contract::ContractError),
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    #[error("{scenario}: {message}")]
    Invalid { scenario: String, message: String },
}

/// Where a spec's scenario file is: `<spec dir>/mock/<spec file name>`.
pub fn scenario_path(spec: &Path) -> PathBuf {
    let dir = spec.parent().unwrap_or_else(|| Path::new("."));
    dir.join("mock").join(spec.file_name().unwrap_or_default())
}

impl Provider {
    /// Loads a spec and its scenario file (if any), and checks that every response the scenario
    /// names is documented and its example exists.
    pub fn load(spec: &Path) -> Result<Provider, LoadError> {
        let contract = Contract::load(spec)?;
        let scenario_file = scenario_path(spec);
        let scenario = Scenario::load(&scenario_file)?;
        let stem = spec
            .file_stem()
            .map(|stem| stem.to_string_lossy().into_owned())
            .unwrap_or_default();
        let name = contract::codegen::naming::crate_base_name(&stem);
        let mut documented = HashMap::new();
        for operation in contract.operations() {
            let mut responses = BTreeMap::new();
            for response in &operation.responses {
                let schema = match &response.schema {
                    Some(at) => Some(contract.json_schema(at, Direction::Response)?),
                    None => None,
                };
                let examples = examples(
                    &contract.spec().document,
                    &pointer::join(
                        &pointer::join(&operation.pointer, "responses"),
                        &response.key,
                    ),
                );
                responses.insert(response.key.clone(), Documented { examples, schema });
            }
            documented.insert(operation.pointer.clone(), responses);
        }
        let provider = Provider {
            name,
            hosts: hosts(&contract.spec().document),
            seeds: scenario.cards.clone(),
            store: Mutex::new(BTreeMap::new()),
            scenario,
            contract,
            documented,
        };
        provider.check_scenario(&scenario_file)?;
        provider.reset(None);
        Ok(provider)
    }

    fn check_scenario(&self, file: &Path) -> Result<(), LoadError> {
        let invalid = |message: String| LoadError::Invalid {
            scenario: file.display().to_string(),
            message,
        };
        for (id, scenario) in &self.scenario.operations {
            let operation = self
                .contract
                .operation(id)
                .ok_or_else(|| invalid(format!("operation `{id}` is not in the spec")))?;
            let mut outcomes: Vec<(&str, &Outcome, Vec<&str>)> = Vec::new();
            if let Some(outcome) = &scenario.credentials {
                outcomes.push(("credentials", outcome, Vec::new()));
            }
            if let Some(invalid) = &scenario.invalid {
                let cases = invalid.cases.iter().map(|case| case.example.as_str());
                outcomes.push(("invalid", &invalid.outcome, cases.collect()));
            }
            if let Some(lifecycle) = &scenario.lifecycle {
                outcomes.push(("success", &lifecycle.success, Vec::new()));
                outcomes.push(("unknown", &lifecycle.unknown, Vec::new()));
                if let Some(outcome) = &lifecycle.wrong_code {
                    outcomes.push(("wrong-code", outcome, Vec::new()));
                }
                for (state, outcome) in &lifecycle.states {
                    outcomes.push((state, outcome, Vec::new()));
                }
            }
            for (what, outcome, more) in outcomes {
                let key = self
                    .response_key(operation, outcome.status, outcome.response.as_deref())
                    .ok_or_else(|| {
                        invalid(format!(
                            "{id} {what}: status {} is not documented",
                            outcome.status
                        ))
                    })?;
                let documented = &self.documented[&operation.pointer][&key];
                for example in outcome.example.iter().map(String::as_str).chain(more) {
                    if !documented.examples.iter().any(|(name, _)| name == example) {
                        return Err(invalid(format!(
                            "{id} {what}: response {key} has no example `{example}`"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Restores the seed cards (`None`), or replaces them first (`Some`).
    pub fn reset(&self, seeds: Option<Vec<Card>>) {
        let cards = seeds.unwrap_or_else(|| self.seeds.clone());
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        *store = cards
            .into_iter()
            .map(|card| (card.id.clone(), card))
            .collect();
    }

    /// Replaces the seeds themselves (a `--state` file), then resets.
    pub fn set_seeds(&mut self, seeds: Vec<Card>) {
        self.seeds = seeds;
        self.reset(None);
    }

    /// The store as JSON, activation codes redacted (they are secrets in every spec).
    pub fn state(&self) -> Value {
        let store = self
            .store
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        Value::Array(
            store
                .values()
                .map(|card| {
                    let mut value = serde_json::json!({"id": card.id, "state": card.state});
                    if card.code.is_some() {
                        value["code"] = Value::String("<redacted>".to_owned());
                    }
                    value
                })
                .collect(),
        )
    }

    /// Runs `change` on the card with this id under the store's lock.
    pub fn with_card<T>(&self, id: &str, change: impl FnOnce(Option<&mut Card>) -> T) -> T {
        let mut store = self
            .store
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        change(store.get_mut(id))
    }

    /// The response key a status selects, as the validator selects it (exact, `NXX`, default),
    /// or the given key if the operation documents it.
    pub fn response_key(
        &self,
        operation: &Operation,
        status: u16,
        key: Option<&str>,
    ) -> Option<String> {
        let keys = self.documented.get(&operation.pointer)?;
        if let Some(key) = key {
            return keys.contains_key(key).then(|| key.to_owned());
        }
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        [exact, range, "default".to_owned()]
            .into_iter()
            .find(|key| keys.contains_key(key))
    }

    /// Whether the operation documents a response whose key is exactly this status.
    pub fn documents_status(&self, operation: &Operation, status: u16) -> bool {
        self.documented
            .get(&operation.pointer)
            .is_some_and(|keys| keys.contains_key(&status.to_string()))
    }

    /// The operation's success: the lowest documented 2xx status (200 for a `2XX` key).
    pub fn success_status(&self, operation: &Operation) -> Option<u16> {
        let keys = self.documented.get(&operation.pointer)?;
        keys.keys()
            .filter_map(|key| match key.as_str() {
                "2XX" | "2xx" => Some(200),
                key => key.parse::<u16>().ok().filter(|s| (200..300).contains(s)),
            })
            .min()
    }

    /// Builds the body of a documented response and checks it with the contract. An explicit
    /// example is sent as written (the spec tests prove examples conform); edits and generated
    /// bodies are checked and regenerated, and an edit that would break the contract is dropped.
    pub fn reply(
        &self,
        operation: &Operation,
        path: &str,
        status: u16,
        key: &str,
        choice: &Choice<'_>,
        rng: &mut StdRng,
    ) -> Result<Reply, String> {
        let documented = self
            .documented
            .get(&operation.pointer)
            .and_then(|keys| keys.get(key))
            .ok_or_else(|| format!("response {key} is not documented"))?;
        let reply = |body: Option<Value>| Reply {
            status,
            body,
            content_type: "application/json",
            headers: Vec::new(),
        };
        let Some(schema) = &documented.schema else {
            return Ok(reply(None));
        };
        let example = match choice.example {
            Some(name) => Some(
                documented
                    .examples
                    .iter()
                    .find(|(example, _)| example == name)
                    .map(|(_, value)| value.clone())
                    .ok_or_else(|| {
                        let names: Vec<&str> = documented
                            .examples
                            .iter()
                            .map(|(n, _)| n.as_str())
                            .collect();
                        format!(
                            "response {key} has no example `{name}` (documented: {})",
                            if names.is_empty() {
                                "none".to_owned()
                            } else {
                                names.join(", ")
                            }
                        )
                    })?,
            ),
            None if choice.dynamic => None,
            None => documented.examples.first().map(|(_, value)| value.clone()),
        };
        let conforms = |body: &Value| {
            self.contract
                .validate_response(
                    &Response::new(&operation.method, path, status.to_string())
                        .with_body(body.clone()),
                )
                .is_ok_and(|report| report.conforms())
        };
        let edited = |mut body: Value| {
            if let Some(set) = choice.set {
                for (at, value) in set {
                    let value = match (value, choice.card) {
                        (Value::String(text), Some(card)) if text == "$card" => {
                            Value::String(card.to_owned())
                        }
                        (value, _) => value.clone(),
                    };
                    put(&mut body, at, value);
                }
            }
            body
        };
        if let Some(example) = example {
            let changed = edited(example.clone());
            if changed != example && conforms(&changed) {
                return Ok(reply(Some(changed)));
            }
            return Ok(reply(Some(example)));
        }
        // Generated: a few tries, since generation aims at validity but the contract decides.
        let mut fallback = None;
        for _ in 0..16 {
            let body = fake::value(schema, schema, rng);
            let changed = edited(body.clone());
            if conforms(&changed) {
                return Ok(reply(Some(changed)));
            }
            if fallback.is_none() && conforms(&body) {
                fallback = Some(body);
            }
        }
        fallback
            .map(|body| reply(Some(body)))
            .ok_or_else(|| format!("no body for response {key} could be generated"))
    }

    /// The documented status and key for an outcome.
    pub fn outcome_key(&self, operation: &Operation, outcome: &Outcome) -> Option<String> {
        self.response_key(operation, outcome.status, outcome.response.as_deref())
    }

    /// The named examples of one response (for tests and `Prefer: example=`).
    pub fn example_names(&self, operation: &Operation, key: &str) -> Vec<String> {
        self.documented
            .get(&operation.pointer)
            .and_then(|keys| keys.get(key))
            .map(|documented| documented.examples.iter().map(|(n, _)| n.clone()).collect())
            .unwrap_or_default()
    }

    /// Every documented response key of an operation.
    pub fn response_keys(&self, operation: &Operation) -> Vec<String> {
        self.documented
            .get(&operation.pointer)
            .map(|keys| keys.keys().cloned().collect())
            .unwrap_or_default()
    }
}

/// Sets `value` at a JSON pointer, creating objects on the way; a pointer through a non-object
/// is left alone (the check after it decides).
fn put(body: &mut Value, at: &str, value: Value) {
    let tokens = pointer::tokens(at);
    let Some((last, parents)) = tokens.split_last() else {
        *body = value;
        return;
    };
    let mut here = body;
    for token in parents {
        let Some(object) = here.as_object_mut() else {
            return;
        };
        here = object
            .entry(token.clone())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    if let Some(object) = here.as_object_mut() {
        object.insert(last.clone(), value);
    }
}

/// Follows local `$ref`s (bounded, so a cycle ends).
fn resolve<'a>(document: &'a Value, mut value: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => match target.strip_prefix('#').and_then(|p| document.pointer(p)) {
                Some(next) => value = next,
                None => break,
            },
            None => break,
        }
    }
    value
}

/// The named examples (and a lone `example`, named `example`) of a response's JSON media type.
fn examples(document: &Value, at: &str) -> Vec<(String, Value)> {
    let Some(response) = document.pointer(at).map(|value| resolve(document, value)) else {
        return Vec::new();
    };
    let Some(content) = response.get("content").and_then(Value::as_object) else {
        return Vec::new();
    };
    let media = content
        .iter()
        .find(|(name, _)| name.contains("json"))
        .map(|(_, media)| resolve(document, media));
    let Some(media) = media else {
        return Vec::new();
    };
    let mut out = Vec::new();
    if let Some(examples) = media.get("examples").and_then(Value::as_object) {
        for (name, example) in examples {
            if let Some(value) = resolve(document, example).get("value") {
                out.push((name.clone(), value.clone()));
            }
        }
    }
    if let Some(value) = media.get("example") {
        out.push(("example".to_owned(), value.clone()));
    }
    out
}

/// `host[:port]` of the servers, lower case; hosts with a `{variable}` are configurable and
/// cannot be matched.
fn hosts(document: &Value) -> Vec<String> {
    document
        .get("servers")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|server| server.get("url").and_then(Value::as_str))
        .filter_map(|url| {
            let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
            let host = rest.split('/').next().unwrap_or_default();
            (!host.is_empty() && !host.contains('{')).then(|| host.to_ascii_lowercase())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_creates_objects_and_skips_through_non_objects() {
        let mut body = serde_json::json!({"a": 1});
        put(&mut body, "/b/c", serde_json::json!(2));
        assert_eq!(body, serde_json::json!({"a": 1, "b": {"c": 2}}));
        put(&mut body, "/a/x", serde_json::json!(3));
        assert_eq!(body["a"], 1);
    }

    #[test]
    fn hosts_skip_templated_servers() {
        let document = serde_json::json!({"servers": [
            {"url": "https://API.example.com/v1"}, {"url": "https://{host}"}, {"url": "/relative"}
        ]});
        assert_eq!(hosts(&document), ["api.example.com"]);
    }
}
