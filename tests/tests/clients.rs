//! The generated clients (`generated/<provider>-client`) against a real HTTP server on
//! 127.0.0.1 that replays every documented response: the spec's named examples and every
//! response sample of the manifests (document, derived and negative).
//!
//! - Each documented response lands in the variant of its status, with its fields (the decoded
//!   body serializes back to the replayed JSON).
//! - Strict mode: conforming samples decode as in lenient mode; every known-invalid response
//!   sample is a contract violation with exactly the manifest's violations.
//! - Undocumented statuses and undecodable bodies are typed errors with status, headers and body.
//! - Invalid requests and missing credentials make zero network calls.
//! - Logins obtain and store tokens; retries happen only where allowed, honouring Retry-After;
//!   timeouts end slow calls; canary secrets never appear in any `Debug` or `Display`.

mod replay;

use std::collections::{BTreeMap, BTreeSet};
use std::future::Future;
use std::pin::Pin;
use std::time::{Duration, Instant};

use conformance::{MessageKind, Verdict, load_manifest, samples_dir, specs_dir};
use contract::check::contract::Contract;
use replay::{Recorded, ReplayServer, Reply};
use serde::Serialize;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Canaries: values that must reach the server and never any `Debug` or `Display`.
// ---------------------------------------------------------------------------------------------

const SECRET_A: &str = "canary-secret-a-7f3e9c";
const SECRET_B: &str = "canary-secret-b-41d2aa";
const PASSWORD: &str = "canary-password-9b8e77";
/// upmoney's activation code: digits only, at most 6.
const ACTIVATION_CODE: &str = "918273";
/// qitech's activation code: exactly 6 characters.
const QITECH_CODE: &str = "QzX9wK";
/// nueve09's ciphered card number (Base64 alphabet) and document number.
const CARD_NUMBER: &str = "Y2FuYXJ5LWNhcmQtbnVtYmVy";
const DOCUMENT_NUMBER: &str = "CANARYDOC5512";
const TOKEN: &str = "canary-token-0c4f5e21";

const CANARIES: [&str; 9] = [
    SECRET_A,
    SECRET_B,
    PASSWORD,
    ACTIVATION_CODE,
    QITECH_CODE,
    CARD_NUMBER,
    DOCUMENT_NUMBER,
    TOKEN,
    "canary-",
];

fn assert_no_canary(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "{what} shows the secret {canary:?}:\n{text}"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// What a call gave, the same shape for every provider
// ---------------------------------------------------------------------------------------------

/// A documented reply: the response key of its variant, its status, its body as JSON.
#[derive(Debug)]
struct Landed {
    key: &'static str,
    status: u16,
    body: Option<Value>,
    debug: String,
}

/// A client error, reduced.
#[derive(Debug)]
struct Failure {
    kind: &'static str,
    /// (pointer, keyword); for request violations the pointer is prefixed with the part.
    violations: BTreeSet<(String, String)>,
    status: Option<u16>,
    sent: bool,
    /// The raw response the error carries: (status, header names, body).
    response: Option<(u16, Vec<String>, Vec<u8>)>,
    display: String,
}

type Outcome = Result<Landed, Failure>;

fn landed<B: Serialize>(key: &'static str, status: u16, debug: String, body: Option<&B>) -> Landed {
    assert_no_canary("a reply's Debug", &debug);
    Landed {
        key,
        status,
        body: body.map(|body| serde_json::to_value(body).expect("bodies serialize")),
        debug,
    }
}

/// Reduces any client crate's `Error` to a [`Failure`], checking it shows no secret.
macro_rules! failure {
    ($krate:ident, $error:expr) => {{
        let error: $krate::Error = $error;
        let debug = format!("{error:?}");
        let display = error.to_string();
        assert_no_canary("an error's Debug", &debug);
        assert_no_canary("an error's Display", &display);
        let violations: BTreeSet<(String, String)> = match &error {
            $krate::Error::ContractViolation { violations, .. } => violations
                .iter()
                .map(|v| (v.instance_path.clone(), v.kind.keyword().to_owned()))
                .collect(),
            $krate::Error::InvalidRequest { violations, .. } => violations
                .iter()
                .map(|v| {
                    (
                        format!("{} {}", v.part, v.error.instance_path),
                        v.error.kind.keyword().to_owned(),
                    )
                })
                .collect(),
            _ => BTreeSet::new(),
        };
        let kind = match &error {
            $krate::Error::InvalidRequest { .. } => "InvalidRequest",
            $krate::Error::MissingCredentials { .. } => "MissingCredentials",
            $krate::Error::InvalidServer { .. } => "InvalidServer",
            $krate::Error::Transport { .. } => "Transport",
            $krate::Error::UndocumentedStatus { .. } => "UndocumentedStatus",
            $krate::Error::UndecodableBody { .. } => "UndecodableBody",
            $krate::Error::ContractViolation { .. } => "ContractViolation",
            $krate::Error::NoToken { .. } => "NoToken",
            _ => "Other",
        };
        Failure {
            kind,
            violations,
            status: error.status(),
            sent: error.was_sent(),
            response: error.response().map(|raw| {
                (
                    raw.status(),
                    raw.headers()
                        .keys()
                        .map(|name| name.as_str().to_owned())
                        .collect(),
                    raw.body().to_vec(),
                )
            }),
            display,
        }
    }};
}

fn body<T: serde::de::DeserializeOwned>(json: Value) -> T {
    serde_json::from_value(json).expect("a valid request body")
}

/// Calls `operation` on a provider's client against `url`, with canary credentials.
type Caller = fn(String, bool, &'static str) -> Pin<Box<dyn Future<Output = Outcome>>>;

fn upmoney(
    url: String,
    strict: bool,
    operation: &'static str,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    use upmoney_client::*;
    Box::pin(async move {
        let client = Client::builder(Server::custom(url))
            .credentials(
                Credentials::new()
                    .with_x_secret(SECRET_A)
                    .with_authorization_key(SECRET_B),
            )
            .strict(strict)
            .build()
            .map_err(|e| failure!(upmoney_client, e))?;
        assert_no_canary("a client's Debug", &format!("{client:?}"));
        match operation {
            "login" => {
                let call = client.login(body(json!({
                    "email": "user@example.com",
                    "password": {"value": PASSWORD}
                })));
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(upmoney_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    LoginReply::Ok(body) => landed("200", status, debug, Some(body)),
                    LoginReply::Locked => landed::<()>("423", status, debug, None),
                })
            }
            "activatePhysicalCard" => {
                let call = client.activate_physical_card(
                    "123",
                    body(json!({"activationCode": ACTIVATION_CODE})),
                );
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(upmoney_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                use ActivatePhysicalCardReply as R;
                Ok(match &reply {
                    R::Ok(card) => landed("200", status, debug, Some(card)),
                    R::BadRequest(error) => landed("400", status, debug, Some(error)),
                    R::Unauthorized => landed::<()>("401", status, debug, None),
                    R::Forbidden(error) => landed("403", status, debug, Some(error)),
                    R::NotFound => landed::<()>("404", status, debug, None),
                    R::Conflict(error) => landed("409", status, debug, Some(error)),
                    R::TooManyRequests => landed::<()>("429", status, debug, None),
                    R::InternalServerError => landed::<()>("500", status, debug, None),
                    R::ServiceUnavailable => landed::<()>("503", status, debug, None),
                })
            }
            other => panic!("upmoney has no operation {other}"),
        }
    })
}

fn nueve09(
    url: String,
    strict: bool,
    operation: &'static str,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    use nueve09_client::*;
    Box::pin(async move {
        let client = Client::builder(Server::custom(url))
            .credentials(Credentials::new().with_bearer_auth(SECRET_A))
            .strict(strict)
            .build()
            .map_err(|e| failure!(nueve09_client, e))?;
        assert_no_canary("a client's Debug", &format!("{client:?}"));
        match operation {
            "assignCardToCardholder" => {
                let call = client.assign_card_to_cardholder(body(json!({
                    "card_number": CARD_NUMBER,
                    "cardholder_id": "55555555-daa7-1234-aaaa-123123123ecd",
                    "document_type": "INE",
                    "document_number": DOCUMENT_NUMBER,
                    "latitude": 12.65343,
                    "longitude": -134.87536
                })));
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(nueve09_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    AssignCardToCardholderReply::Ok(body) => {
                        landed("200", status, debug, Some(body))
                    }
                    AssignCardToCardholderReply::Default { body, .. } => {
                        landed("default", status, debug, Some(body))
                    }
                })
            }
            "login" => {
                let call = client.login(body(json!({
                    "api_client": {"api_key": SECRET_B, "password": PASSWORD}
                })));
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(nueve09_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    LoginReply::Ok { .. } => landed::<()>("200", status, debug, None),
                })
            }
            other => panic!("nueve09 has no operation {other}"),
        }
    })
}

fn undostres(
    url: String,
    strict: bool,
    operation: &'static str,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    use undostres_client::*;
    Box::pin(async move {
        let client = Client::builder(Server::custom(url))
            .credentials(Credentials::new().with_bearer_auth(SECRET_A))
            .strict(strict)
            .build()
            .map_err(|e| failure!(undostres_client, e))?;
        assert_no_canary("a client's Debug", &format!("{client:?}"));
        match operation {
            "activateCardForCustomer" => {
                let call = client.activate_card_for_customer(body(json!({
                    "customer_id": "12345678",
                    "card_identifier": "CARD-001",
                    "reference_batch": "7e4b85e27c4610824900af48f340394d"
                })));
                let reply = call.await.map_err(|e| failure!(undostres_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    ActivateCardForCustomerReply::Ok(body) => {
                        landed("200", status, debug, Some(body))
                    }
                    ActivateCardForCustomerReply::Default { body, .. } => {
                        landed("default", status, debug, Some(body))
                    }
                })
            }
            "login" => {
                let call = client.login(body(json!({
                    "email": "user@example.com",
                    "password": PASSWORD
                })));
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(undostres_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    LoginReply::Ok(body) => landed("200", status, debug, Some(body)),
                })
            }
            other => panic!("undostres has no operation {other}"),
        }
    })
}

fn qitech(
    url: String,
    strict: bool,
    operation: &'static str,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    use qitech_client::*;
    Box::pin(async move {
        let client = Client::builder(Server::custom(url))
            .credentials(
                Credentials::new()
                    .with_api_client_key(SECRET_A)
                    .with_authorization(SECRET_B),
            )
            .strict(strict)
            .build()
            .map_err(|e| failure!(qitech_client, e))?;
        assert_no_canary("a client's Debug", &format!("{client:?}"));
        match operation {
            "activatePhysicalCard" => {
                let call = client.activate_physical_card(
                    "3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f",
                    "05fd3654-1f5d-479d-ade5-64239fdf214d",
                    body(json!({"code": QITECH_CODE})),
                );
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(qitech_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                use ActivatePhysicalCardReply as R;
                Ok(match &reply {
                    R::Ok(card) => landed("200", status, debug, Some(card)),
                    R::BadRequest(error) => landed("400", status, debug, Some(error)),
                    R::Unauthorized(error) => landed("401", status, debug, Some(error)),
                    R::NotFound(error) => landed("404", status, debug, Some(error)),
                    R::NotAcceptable(error) => landed("406", status, debug, Some(error)),
                    R::ClientError { body, .. } => landed("4XX", status, debug, Some(body)),
                })
            }
            other => panic!("qitech has no operation {other}"),
        }
    })
}

fn connectfi(
    url: String,
    strict: bool,
    operation: &'static str,
) -> Pin<Box<dyn Future<Output = Outcome>>> {
    use connectfi_client::*;
    Box::pin(async move {
        let client = Client::builder(Server::custom(url))
            .credentials(Credentials::new().with_connectfi_token(SECRET_A))
            .strict(strict)
            .build()
            .map_err(|e| failure!(connectfi_client, e))?;
        assert_no_canary("a client's Debug", &format!("{client:?}"));
        match operation {
            "activateCard" => {
                #[allow(deprecated)]
                let call = client.activate_card(body(json!({
                    "cardId": "crda_6v9nQ3AKKyD5bzvTVbnkN2",
                    "activateAttributes": {"ssnLastFour": "1234"}
                })));
                let reply = call.await.map_err(|e| failure!(connectfi_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    ActivateCardReply::Ok(body) => landed("200", status, debug, Some(body)),
                    ActivateCardReply::BadRequest(body) => landed("400", status, debug, Some(body)),
                })
            }
            "getToken" => {
                let call = client.get_token(body(json!({
                    "user": {"login": "user", "password": PASSWORD}
                })));
                assert_no_canary("a call's Debug", &format!("{call:?}"));
                let reply = call.await.map_err(|e| failure!(connectfi_client, e))?;
                let (status, debug) = (reply.status(), format!("{reply:?}"));
                Ok(match &reply {
                    GetTokenReply::Ok(body) => landed("200", status, debug, Some(body)),
                })
            }
            other => panic!("connectfi has no operation {other}"),
        }
    })
}

// ---------------------------------------------------------------------------------------------
// Replaying every documented response
// ---------------------------------------------------------------------------------------------

/// One response to replay.
#[derive(Debug)]
struct Case {
    operation: &'static str,
    key: String,
    status: u16,
    /// `None`: the response documents no body and none is sent.
    body: Option<Value>,
    source: String,
    /// `None`: conforms; else the exact (pointer, rule) violations of the manifest.
    violations: Option<BTreeSet<(String, String)>>,
    /// Values of the body at `x-sensitive` locations (that appear nowhere else in it): the
    /// reply's `Debug` must not show them.
    sensitive: Vec<String>,
}

/// The string values of `body` at locations the converted response schema `root` marks
/// sensitive, minus those that also appear at other locations (placeholders like "string").
fn sensitive_values(root: &Value, body: &Value) -> Vec<String> {
    fn walk(
        root: &Value,
        value: &Value,
        tokens: &mut Vec<String>,
        out: &mut (BTreeSet<String>, BTreeSet<String>),
    ) {
        match value {
            Value::String(text) => {
                if contract::spec::sensitive::is_sensitive(root, tokens) {
                    out.0.insert(text.clone());
                } else {
                    out.1.insert(text.clone());
                }
            }
            Value::Object(map) => {
                for (key, item) in map {
                    tokens.push(key.clone());
                    walk(root, item, tokens, out);
                    tokens.pop();
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    tokens.push(index.to_string());
                    walk(root, item, tokens, out);
                    tokens.pop();
                }
            }
            _ => {}
        }
    }
    let mut found = (BTreeSet::new(), BTreeSet::new());
    walk(root, body, &mut Vec::new(), &mut found);
    found
        .0
        .difference(&found.1)
        .filter(|text| text.len() >= 4)
        .cloned()
        .collect()
}

/// A status that the operation's response keys route to `key`: the code itself, the first
/// code of an `NXX` range that has no exact key, or for `default` a 5xx (else 4xx) code no key
/// takes.
fn status_for(keys: &[String], key: &str) -> u16 {
    if let Ok(code) = key.parse() {
        return code;
    }
    let taken =
        |code: u16| keys.contains(&code.to_string()) || keys.contains(&format!("{}XX", code / 100));
    let candidates: Vec<u16> = match key.as_bytes().first() {
        Some(digit @ b'1'..=b'5') => {
            let base = u16::from(digit - b'0') * 100;
            (base..base + 100).collect()
        }
        _ => (500..600).chain(400..500).collect(),
    };
    candidates
        .into_iter()
        .find(|&code| {
            !keys.contains(&code.to_string()) && (key != "default" || !taken(code)) && code != 418
        })
        .expect("a free status")
}

/// Every response of every operation of a provider: named examples, manifest samples, and
/// `extra` bodies for documented bodies that have neither.
fn cases(provider: &str, operations: &[&'static str], extra: &[(&str, &str, Value)]) -> Vec<Case> {
    let contract = Contract::load(specs_dir().join(format!("{provider}.yaml"))).expect("loads");
    let document = &contract.spec().document;
    let operation_name = |id: &str| -> &'static str {
        operations
            .iter()
            .find(|name| **name == id)
            .copied()
            .unwrap_or_else(|| panic!("{provider}: the test does not call {id}"))
    };
    let mut cases = Vec::new();
    let mut keys_of: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    // (operation, response key) → the converted JSON Schema of its body.
    let mut roots: BTreeMap<(&'static str, String), Value> = BTreeMap::new();
    for operation in contract.operations() {
        let id = operation_name(operation.operation_id.as_deref().unwrap_or_default());
        let keys: Vec<String> = operation.responses.iter().map(|r| r.key.clone()).collect();
        keys_of.insert(id, keys.clone());
        for response in &operation.responses {
            if let Some(schema) = &response.schema {
                let root = contract
                    .json_schema(schema, contract::spec::convert::Direction::Response)
                    .expect("converts");
                roots.insert((id, response.key.clone()), root);
            }
            let status = status_for(&keys, &response.key);
            let at = format!(
                "{}/responses/{}",
                operation.pointer,
                response.key.replace('~', "~0").replace('/', "~1")
            );
            let mut object = document.pointer(&at).expect("the response");
            if let Some(target) = object.get("$ref").and_then(Value::as_str) {
                object = document.pointer(&target[1..]).expect("resolves");
            }
            if response.schema.is_none() {
                cases.push(Case {
                    operation: id,
                    key: response.key.clone(),
                    status,
                    body: None,
                    source: format!("{at} (no body)"),
                    violations: None,
                    sensitive: Vec::new(),
                });
                continue;
            }
            let media = object["content"]
                .as_object()
                .and_then(|content| content.iter().find(|(name, _)| name.contains("json")))
                .map(|(_, media)| media)
                .expect("a JSON body");
            if let Some(examples) = media.get("examples").and_then(Value::as_object) {
                for (name, example) in examples {
                    cases.push(Case {
                        operation: id,
                        key: response.key.clone(),
                        status,
                        body: Some(example["value"].clone()),
                        source: format!("{at} example {name}"),
                        violations: None,
                        sensitive: Vec::new(),
                    });
                }
            }
            if let Some(example) = media.get("example") {
                cases.push(Case {
                    operation: id,
                    key: response.key.clone(),
                    status,
                    body: Some(example.clone()),
                    source: format!("{at} example"),
                    violations: None,
                    sensitive: Vec::new(),
                });
            }
        }
    }
    for entry in load_manifest(provider).samples {
        if entry.message != MessageKind::Response || entry.malformed {
            continue;
        }
        let id = operation_name(&entry.operation);
        let key = entry.status.clone().expect("a response entry has a status");
        let text = std::fs::read_to_string(samples_dir(provider).join(&entry.file)).unwrap();
        cases.push(Case {
            operation: id,
            status: status_for(&keys_of[id], &key),
            key,
            body: Some(serde_json::from_str(&text).expect("not malformed")),
            source: format!("samples/{provider}/{}", entry.file),
            violations: match entry.verdict {
                Verdict::Valid => None,
                Verdict::KnownInvalid => Some(
                    entry
                        .expect
                        .iter()
                        .filter(|expected| expected.part == "body")
                        .map(|expected| (expected.pointer.clone(), expected.rule.clone()))
                        .collect(),
                ),
            },
            sensitive: Vec::new(),
        });
    }
    for (operation, key, body) in extra {
        cases.push(Case {
            operation: operation_name(operation),
            key: (*key).to_owned(),
            status: status_for(&keys_of[operation_name(operation)], key),
            body: Some(body.clone()),
            source: format!("hand-written {operation} {key} body"),
            violations: None,
            sensitive: Vec::new(),
        });
    }
    for case in &mut cases {
        if let (Some(body), Some(root)) =
            (&case.body, roots.get(&(case.operation, case.key.clone())))
        {
            case.sensitive = sensitive_values(root, body);
        }
    }
    // Every documented response is replayed at least once, conforming.
    for (operation, keys) in &keys_of {
        for key in keys {
            assert!(
                cases
                    .iter()
                    .any(|c| c.operation == *operation && &c.key == key && c.violations.is_none()),
                "{provider}: no conforming body to replay for {operation} {key}"
            );
        }
    }
    cases
}

/// JSON compared as the client decodes it: members holding `null` dropped (an absent optional
/// value and `null` decode alike) and numbers compared by value (`0` and `0.0`).
fn normalized(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), normalized(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(normalized).collect()),
        Value::Number(number) => json!(number.as_f64()),
        other => other.clone(),
    }
}

async fn replay_all(
    provider: &str,
    caller: Caller,
    operations: &[&'static str],
    extra: &[(&str, &str, Value)],
) -> usize {
    let cases = cases(provider, operations, extra);
    let server = ReplayServer::start().await;
    let mut sensitive_checked = 0;
    for case in &cases {
        for strict in [false, true] {
            let mode = if strict { "strict" } else { "lenient" };
            let before = server.calls();
            server.push(match &case.body {
                Some(body) => Reply::json(case.status, body.to_string()),
                None => Reply::empty(case.status),
            });
            let outcome = caller(server.url.clone(), strict, case.operation).await;
            assert_eq!(server.calls(), before + 1, "{}: one request", case.source);
            let context = format!("{provider} {} ({mode}) {}", case.operation, case.source);
            match (&case.violations, strict, outcome) {
                (None, _, Ok(landed)) => {
                    assert_eq!(landed.key, case.key, "{context}: wrong variant: {landed:?}");
                    for value in &case.sensitive {
                        assert!(
                            !landed.debug.contains(value.as_str()),
                            "{context}: the reply's Debug shows the sensitive {value:?}"
                        );
                    }
                    sensitive_checked += case.sensitive.len();
                    assert_eq!(landed.status, case.status, "{context}");
                    if let Some(body) = &case.body {
                        let decoded = landed.body.as_ref().expect("a body");
                        assert_eq!(
                            normalized(decoded),
                            normalized(body),
                            "{context}: the decoded body differs from the replayed one"
                        );
                    }
                }
                (Some(expected), true, Err(failure)) => {
                    assert_eq!(failure.kind, "ContractViolation", "{context}: {failure:?}");
                    assert_eq!(&failure.violations, expected, "{context}");
                    assert_eq!(failure.status, Some(case.status), "{context}");
                }
                (Some(_), false, Ok(landed)) => {
                    assert_eq!(landed.key, case.key, "{context}: wrong variant");
                }
                (Some(_), false, Err(failure)) => {
                    assert_eq!(failure.kind, "UndecodableBody", "{context}: {failure:?}");
                    let (status, _, body) = failure.response.expect("the raw response");
                    assert_eq!(status, case.status, "{context}");
                    assert_eq!(
                        serde_json::from_slice::<Value>(&body).ok().as_ref(),
                        case.body.as_ref(),
                        "{context}"
                    );
                }
                (_, _, outcome) => panic!("{context}: unexpected {outcome:?}"),
            }
        }
    }
    // The canaries went out: the test would prove nothing otherwise.
    let sent: String = server
        .take()
        .iter()
        .map(|request| {
            format!(
                "{:?} {}",
                request.headers,
                String::from_utf8_lossy(&request.body)
            )
        })
        .collect();
    assert!(
        sent.contains(SECRET_A),
        "{provider}: the credentials were sent"
    );
    sensitive_checked
}

// Each test also counts the sensitive response values (tokens, identity numbers, account
// numbers) its replies were checked not to show in `Debug`: QI Tech's responses have none.

#[tokio::test]
async fn upmoney_replays_every_documented_response() {
    let sensitive = replay_all(
        "upmoney",
        upmoney,
        &["login", "activatePhysicalCard"],
        &[(
            "activatePhysicalCard",
            "200",
            json!({"id": "123", "state": {"state": "ACTIVE"}}),
        )],
    )
    .await;
    assert!(sensitive > 0);
}

#[tokio::test]
async fn nueve09_replays_every_documented_response() {
    let sensitive = replay_all(
        "nueve09",
        nueve09,
        &["assignCardToCardholder", "login"],
        &[(
            "assignCardToCardholder",
            "default",
            json!({"message": "error format not published"}),
        )],
    )
    .await;
    assert!(sensitive > 0);
}

#[tokio::test]
async fn undostres_replays_every_documented_response() {
    let sensitive = replay_all(
        "undostres",
        undostres,
        &["activateCardForCustomer", "login"],
        &[(
            "login",
            "200",
            json!({"message": "OK", "data": {"accessToken": TOKEN, "refreshToken": "r"}, "error": null}),
        )],
    )
    .await;
    assert!(sensitive > 0);
}

#[tokio::test]
async fn qitech_replays_every_documented_response() {
    replay_all("qitech", qitech, &["activatePhysicalCard"], &[]).await;
}

#[tokio::test]
async fn connectfi_replays_every_documented_response() {
    let sensitive = replay_all(
        "connectfi",
        connectfi,
        &["activateCard", "getToken"],
        &[(
            "getToken",
            "200",
            json!({"code": "0", "data": {"token": TOKEN, "dtsExpireAt": "2030-01-01T00:00:00Z"}}),
        )],
    )
    .await;
    assert!(sensitive > 0);
}

// ---------------------------------------------------------------------------------------------
// Errors with the response: undocumented status, undecodable body, drift
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn undocumented_statuses_and_undecodable_bodies_are_typed_errors() {
    let server = ReplayServer::start().await;
    // An undocumented status: status, headers and raw body come back.
    server.push(Reply::json(418, r#"{"teapot": true}"#).header("x-trace", "abc"));
    let failure = upmoney(server.url.clone(), false, "activatePhysicalCard")
        .await
        .unwrap_err();
    assert_eq!(failure.kind, "UndocumentedStatus");
    assert_eq!(failure.status, Some(418));
    let (status, headers, body) = failure.response.unwrap();
    assert_eq!(status, 418);
    assert!(headers.contains(&"x-trace".to_owned()));
    assert_eq!(body, br#"{"teapot": true}"#);
    // A body that is not JSON, a body of another shape, a wrong enum type: typed errors.
    for (status, text) in [
        (200, "<html>maintenance</html>"),
        (200, "[1, 2]"),
        (409, r#"{"errorCode": 42}"#),
        (403, ""),
    ] {
        for strict in [false, true] {
            server.push(Reply::json(status, text));
            let failure = upmoney(server.url.clone(), strict, "activatePhysicalCard")
                .await
                .unwrap_err();
            let expected = if strict && serde_json::from_str::<Value>(text).is_ok() {
                "ContractViolation"
            } else {
                "UndecodableBody"
            };
            assert_eq!(failure.kind, expected, "{status} {text:?} strict={strict}");
            assert_eq!(failure.status, Some(status));
            assert_eq!(failure.response.unwrap().2, text.as_bytes());
            assert!(failure.sent);
        }
    }
    // A server that is gone: a transport error, no panic.
    let url = server.url.clone();
    drop(server);
    let failure = upmoney(url, false, "activatePhysicalCard")
        .await
        .unwrap_err();
    assert_eq!(failure.kind, "Transport");
}

#[tokio::test]
async fn unknown_codes_decode_leniently_and_strict_mode_reports_drift() {
    use upmoney_client::lenient::ActivationConflictErrorErrorCode as Code;
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    let client = |strict| {
        Client::builder(Server::custom(server.url.clone()))
            .credentials(
                Credentials::new()
                    .with_x_secret("s")
                    .with_authorization_key("k"),
            )
            .strict(strict)
            .build()
            .unwrap()
    };
    let request =
        || -> models::ActivatePhysicalCardRequest { body(json!({"activationCode": "123"})) };
    // A documented code decodes as its variant; a new one is kept, not an error.
    server.push(Reply::json(409, r#"{"errorCode": "INSTRUMENT_BLOCKED"}"#));
    match client(false)
        .activate_physical_card("123", request())
        .await
        .unwrap()
    {
        ActivatePhysicalCardReply::Conflict(error) => {
            assert_eq!(error.error_code, Code::InstrumentBlocked);
            assert_eq!(
                error.error_code.known(),
                Some(models::ActivationConflictErrorErrorCode::InstrumentBlocked)
            );
        }
        other => panic!("{other:?}"),
    }
    server.push(Reply::json(
        409,
        r#"{"errorCode": "CARD_MELTED", "detail": "new"}"#,
    ));
    match client(false)
        .activate_physical_card("123", request())
        .await
        .unwrap()
    {
        ActivatePhysicalCardReply::Conflict(error) => {
            assert_eq!(error.error_code, Code::Unknown("CARD_MELTED".to_owned()));
            assert_eq!(error.error_code.as_str(), "CARD_MELTED");
            assert_eq!(error.error_code.known(), None);
            assert_eq!(error.additional_properties["detail"], "new");
        }
        other => panic!("{other:?}"),
    }
    // Strict mode: the same body is a contract violation: an unknown code...
    server.push(Reply::json(409, r#"{"errorCode": "CARD_MELTED"}"#));
    let error = client(true)
        .activate_physical_card("123", request())
        .await
        .unwrap_err();
    let Error::ContractViolation {
        violations,
        response,
        ..
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(violations.len(), 1);
    assert_eq!(violations[0].instance_path, "/errorCode");
    assert_eq!(violations[0].kind.keyword(), "enum");
    assert_eq!(response.status(), 409);
    // ... a wrong type and a missing field (the card's state) ...
    server.push(Reply::json(200, r#"{"id": 123}"#));
    let error = client(true)
        .activate_physical_card("123", request())
        .await
        .unwrap_err();
    let Error::ContractViolation { violations, .. } = &error else {
        panic!("{error:?}");
    };
    let found: BTreeSet<_> = violations
        .iter()
        .map(|v| (v.instance_path.as_str(), v.kind.keyword()))
        .collect();
    assert_eq!(found, BTreeSet::from([("", "required"), ("/id", "type")]));
    // ... and a new card state in a success: lenient keeps it, strict reports it.
    let card = r#"{"id": "123", "state": {"state": "FROZEN"}, "mode": "DEBIT_MODE"}"#;
    server.push(Reply::json(200, card));
    match client(false)
        .activate_physical_card("123", request())
        .await
        .unwrap()
    {
        ActivatePhysicalCardReply::Ok(card) => {
            assert_eq!(
                card.state.state,
                lenient::CardStateState::Unknown("FROZEN".to_owned())
            );
            assert_eq!(card.mode, Some(lenient::ManagedCardMode::DebitMode));
        }
        other => panic!("{other:?}"),
    }
    server.push(Reply::json(200, card));
    let error = client(true)
        .activate_physical_card("123", request())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::ContractViolation { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("/state/state"), "{error}");
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn invalid_requests_send_nothing_and_list_every_violation() {
    let server = ReplayServer::start().await;
    // nueve09: two body violations (both coordinates out of range).
    {
        use nueve09_client::*;
        let client = Client::builder(Server::custom(server.url.clone()))
            .credentials(Credentials::new().with_bearer_auth(SECRET_A))
            .build()
            .unwrap();
        let request: models::AssignCardToCardholderRequest = body(json!({
            "card_number": CARD_NUMBER,
            "cardholder_id": "55555555-daa7-1234-aaaa-123123123ecd",
            "document_type": "INE",
            "document_number": DOCUMENT_NUMBER,
            "latitude": 120.5,
            "longitude": -200
        }));
        let call = client.assign_card_to_cardholder(request);
        assert!(call.validate().is_err());
        let failure = failure!(nueve09_client, call.await.unwrap_err());
        assert_eq!(failure.kind, "InvalidRequest");
        assert!(!failure.sent);
        assert_eq!(
            failure.violations,
            BTreeSet::from([
                ("body /latitude".to_owned(), "maximum".to_owned()),
                ("body /longitude".to_owned(), "minimum".to_owned()),
            ])
        );
        assert!(
            failure.display.contains("body /latitude"),
            "{}",
            failure.display
        );
    }
    // qitech: both path parameters break `format: uuid`.
    {
        use qitech_client::*;
        let client = Client::builder(Server::custom(server.url.clone()))
            .credentials(
                Credentials::new()
                    .with_api_client_key("k")
                    .with_authorization("a"),
            )
            .build()
            .unwrap();
        let error = client
            .activate_physical_card("not-a-uuid", "05fd3654", body(json!({"code": QITECH_CODE})))
            .await
            .unwrap_err();
        let failure = failure!(qitech_client, error);
        assert_eq!(failure.kind, "InvalidRequest");
        assert_eq!(
            failure.violations,
            BTreeSet::from([
                ("path /CARD_KEY".to_owned(), "format".to_owned()),
                ("path /WALLET_KEY".to_owned(), "format".to_owned()),
            ])
        );
    }
    // upmoney: the card id breaks its pattern.
    {
        use upmoney_client::*;
        let client = Client::new(
            Server::custom(server.url.clone()),
            Credentials::new()
                .with_x_secret("s")
                .with_authorization_key("k"),
        )
        .unwrap();
        let error = client
            .activate_physical_card("12a/../x", body(json!({"activationCode": "123"})))
            .await
            .unwrap_err();
        let failure = failure!(upmoney_client, error);
        assert_eq!(
            failure.violations,
            BTreeSet::from([("path /cardId".to_owned(), "pattern".to_owned())])
        );
    }
    assert_eq!(server.calls(), 0, "an invalid request is never sent");
}

#[tokio::test]
async fn missing_credentials_send_nothing() {
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    let client = Client::new(
        Server::custom(server.url.clone()),
        Credentials::new().with_x_secret("s"),
    )
    .unwrap();
    let error = client
        .activate_physical_card("123", body(json!({"activationCode": "123"})))
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::MissingCredentials {
                required: "x-secret + Authorization-key",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.was_sent());
    // Login needs only the secret: it goes out, with that header only.
    server.push(Reply::json(200, format!(r#"{{"token": "{TOKEN}"}}"#)));
    let login = client
        .login(body(
            json!({"email": "user@example.com", "password": {"value": "p"}}),
        ))
        .await
        .unwrap();
    assert!(login.is_success());
    let request = &server.take()[0];
    assert_eq!(request.header("x-secret"), Some("s"));
    assert_eq!(request.header("authorization-key"), None);
    assert_eq!(server.calls(), 1);
}

/// The request a client sends: method, path, headers and JSON body.
#[tokio::test]
async fn requests_go_out_as_the_spec_describes() {
    use qitech_client::*;
    let server = ReplayServer::start().await;
    let client = Client::builder(Server::custom(format!("{}/prefix/", server.url)))
        .credentials(
            Credentials::new()
                .with_api_client_key(SECRET_A)
                .with_authorization(SECRET_B),
        )
        .user_agent("contract-tests")
        .build()
        .unwrap();
    server.push(Reply::json(
        200,
        r#"{"card_key": "05fd3654-1f5d-479d-ade5-64239fdf214d", "status": "active"}"#,
    ));
    let reply = client
        .activate_physical_card(
            "3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f",
            "05fd3654-1f5d-479d-ade5-64239fdf214d",
            body(json!({"code": QITECH_CODE})),
        )
        .send()
        .await
        .unwrap();
    assert!(reply.is_success());
    let request = server.take().remove(0);
    let Recorded { method, target, .. } = &request;
    assert_eq!(method, "PATCH");
    assert_eq!(
        target,
        "/prefix/wallet/3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f/card/05fd3654-1f5d-479d-ade5-64239fdf214d/activate"
    );
    assert_eq!(request.json(), json!({"code": QITECH_CODE}));
    assert_eq!(request.header("api-client-key"), Some(SECRET_A));
    assert_eq!(request.header("authorization"), Some(SECRET_B));
    assert_eq!(request.header("content-type"), Some("application/json"));
    assert_eq!(request.header("accept"), Some("application/json"));
    assert_eq!(request.header("user-agent"), Some("contract-tests"));
}

// ---------------------------------------------------------------------------------------------
// Logins
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn logins_obtain_and_store_the_token() {
    let server = ReplayServer::start().await;
    // upmoney: `token` of the body becomes the Authorization-key header.
    {
        use upmoney_client::*;
        let client = Client::new(
            Server::custom(server.url.clone()),
            Credentials::new().with_x_secret(SECRET_A),
        )
        .unwrap();
        server.push(Reply::json(200, format!(r#"{{"token": "{TOKEN}"}}"#)));
        let token = client
            .authenticate(body(
                json!({"email": "user@example.com", "password": {"value": PASSWORD}}),
            ))
            .await
            .unwrap();
        assert_eq!(token.expose(), TOKEN);
        assert_no_canary("a token's Debug", &format!("{token:?} {token}"));
        assert_no_canary(
            "the credentials' Debug",
            &format!("{:?}", client.credentials()),
        );
        server.push(Reply::json(
            409,
            r#"{"errorCode": "INSTRUMENT_ALREADY_ACTIVATED"}"#,
        ));
        let reply = client
            .activate_physical_card("123", body(json!({"activationCode": ACTIVATION_CODE})))
            .await
            .unwrap();
        assert_eq!(reply.status(), 409);
        let requests = server.take();
        assert_eq!(requests[0].json()["password"]["value"], PASSWORD);
        assert_eq!(requests[1].header("authorization-key"), Some(TOKEN));
        assert_eq!(requests[1].header("x-secret"), Some(SECRET_A));
        // A locked account: a documented answer without a token.
        server.push(Reply::empty(423));
        let error = client
            .authenticate(body(
                json!({"email": "user@example.com", "password": {"value": "p"}}),
            ))
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::NoToken { status: 423, .. }),
            "{error:?}"
        );
        server.take();
    }
    // nueve09: the token comes back in the `Authorization` response header.
    {
        use nueve09_client::*;
        let client = Client::new(Server::custom(server.url.clone()), Credentials::new()).unwrap();
        server.push(Reply::empty(200).header("Authorization", &format!("Bearer {TOKEN}")));
        let reply = client
            .login(body(
                json!({"api_client": {"api_key": SECRET_A, "password": PASSWORD}}),
            ))
            .await
            .unwrap();
        let LoginReply::Ok { authorization } = &reply;
        assert_eq!(
            authorization.as_ref().map(Secret::expose),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_no_canary("a login reply's Debug", &format!("{reply:?}"));
        assert_eq!(reply.token().unwrap().expose(), TOKEN);
        server.push(Reply::empty(200).header("Authorization", TOKEN));
        client
            .authenticate(body(
                json!({"api_client": {"api_key": SECRET_A, "password": PASSWORD}}),
            ))
            .await
            .unwrap();
        server.push(Reply::json(
            200,
            r#"{"success": true, "code": 0, "message": "OK", "data": {}}"#,
        ));
        client
            .assign_card_to_cardholder(body(json!({
                "card_number": CARD_NUMBER,
                "cardholder_id": "55555555-daa7-1234-aaaa-123123123ecd",
                "document_type": "INE",
                "document_number": DOCUMENT_NUMBER,
                "latitude": 1.5,
                "longitude": 2.5
            })))
            .await
            .unwrap();
        let requests = server.take();
        assert_eq!(
            requests[0].header("authorization"),
            None,
            "login needs no credentials"
        );
        assert_eq!(
            requests[2].header("authorization"),
            Some(format!("Bearer {TOKEN}").as_str())
        );
        assert_eq!(requests[2].json()["card_number"], CARD_NUMBER);
    }
    // undostres: `data.accessToken` of the body.
    {
        use undostres_client::*;
        let client = Client::new(Server::custom(server.url.clone()), Credentials::new()).unwrap();
        server.push(Reply::json(
            200,
            format!(r#"{{"data": {{"accessToken": "{TOKEN}", "refreshToken": "other"}}}}"#),
        ));
        client
            .authenticate(body(
                json!({"email": "user@example.com", "password": PASSWORD}),
            ))
            .await
            .unwrap();
        assert_eq!(client.credentials().bearer_auth.unwrap().expose(), TOKEN);
        // A login answer without the token is an error, not a stored empty token.
        server.push(Reply::json(200, r#"{"message": "no"}"#));
        let error = client
            .authenticate(body(
                json!({"email": "user@example.com", "password": PASSWORD}),
            ))
            .await
            .unwrap_err();
        assert!(matches!(error, Error::NoToken { status: 200, .. }));
        server.take();
    }
    // connectfi: `data.token` becomes the x-connectfi-token header.
    {
        use connectfi_client::*;
        let client = Client::new(Server::custom(server.url.clone()), Credentials::new()).unwrap();
        server.push(Reply::json(
            200,
            format!(r#"{{"code": "0", "data": {{"token": "{TOKEN}"}}}}"#),
        ));
        client
            .authenticate(body(json!({"user": {"login": "u", "password": PASSWORD}})))
            .await
            .unwrap();
        server.push(Reply::json(
            400,
            r#"{"code": "extCondor", "subCode": "C1014", "context": {}, "message": "m"}"#,
        ));
        #[allow(deprecated)]
        let reply = client
            .activate_card(body(json!({"cardId": "crda_1"})))
            .await
            .unwrap();
        assert!(
            matches!(reply, ActivateCardReply::BadRequest(ref error) if error.sub_code == lenient::CondorErrorSubCode::C1014)
        );
        assert_eq!(server.take()[1].header("x-connectfi-token"), Some(TOKEN));
    }
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn only_allowed_calls_are_retried_honouring_retry_after() {
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    let client = Client::new(
        Server::custom(server.url.clone()),
        Credentials::new()
            .with_x_secret("s")
            .with_authorization_key("k"),
    )
    .unwrap();
    let request =
        || -> models::ActivatePhysicalCardRequest { body(json!({"activationCode": "123"})) };
    let ok = r#"{"id": "123", "state": {"state": "ACTIVE"}}"#;
    // Card activation is not idempotent: a 503 or 429 is returned, not retried.
    for status in [503, 429] {
        server.push(Reply::empty(status).header("retry-after", "0"));
        let reply = client
            .activate_physical_card("123", request())
            .await
            .unwrap();
        assert_eq!(reply.status(), status);
    }
    assert_eq!(server.calls(), 2);
    // Opting in: retried after the Retry-After delay (seconds).
    server.push(Reply::empty(503).header("retry-after", "1"));
    server.push(Reply::json(200, ok));
    let started = Instant::now();
    let reply = client
        .activate_physical_card("123", request())
        .retry(true)
        .await
        .unwrap();
    assert!(
        matches!(reply, ActivatePhysicalCardReply::Ok(_)),
        "{reply:?}"
    );
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.calls(), 4);
    // An HTTP date in the past: retry at once; 429 counts too.
    server.push(Reply::empty(429).header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"));
    server.push(Reply::json(200, ok));
    let started = Instant::now();
    let reply = client
        .activate_physical_card("123", request())
        .retry(true)
        .await
        .unwrap();
    assert!(reply.is_success());
    assert!(started.elapsed() < Duration::from_millis(900));
    assert_eq!(server.calls(), 6);
    // A wait longer than the policy accepts is not waited for; retries are bounded.
    server.push(Reply::empty(503).header("retry-after", "3600"));
    let reply = client
        .activate_physical_card("123", request())
        .retry(true)
        .await
        .unwrap();
    assert_eq!(reply.status(), 503);
    assert_eq!(server.calls(), 7);
    let bounded = Client::builder(Server::custom(server.url.clone()))
        .credentials(
            Credentials::new()
                .with_x_secret("s")
                .with_authorization_key("k"),
        )
        .retry(RetryPolicy {
            max_retries: 2,
            default_delay: Duration::ZERO,
            max_delay: Duration::from_secs(1),
        })
        .build()
        .unwrap();
    server.set_default(Reply::empty(503));
    let reply = bounded
        .activate_physical_card("123", request())
        .retry(true)
        .await
        .unwrap();
    assert_eq!(reply.status(), 503);
    assert_eq!(server.calls(), 10, "the first attempt and two retries");
    // Other statuses are never retried.
    server.set_default(Reply::empty(500));
    bounded
        .activate_physical_card("123", request())
        .retry(true)
        .await
        .unwrap();
    assert_eq!(server.calls(), 11);
}

#[tokio::test]
async fn timeouts_end_slow_calls() {
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    server.set_default(Reply::empty(503).delayed(Duration::from_secs(5)));
    let client = Client::builder(Server::custom(server.url.clone()))
        .credentials(
            Credentials::new()
                .with_x_secret("s")
                .with_authorization_key("k"),
        )
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let error = client
        .activate_physical_card("123", body(json!({"activationCode": "123"})))
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // A per-call timeout overrides the client's.
    let error = client
        .login(body(
            json!({"email": "user@example.com", "password": {"value": "p"}}),
        ))
        .timeout(Duration::from_millis(100))
        .await
        .unwrap_err();
    assert!(error.is_timeout());
}

// ---------------------------------------------------------------------------------------------
// Servers, secrets, the call API
// ---------------------------------------------------------------------------------------------

#[test]
fn servers_come_from_the_spec() {
    assert_eq!(
        upmoney_client::Server::production().url(),
        "https://api.up2.money"
    );
    assert_eq!(
        upmoney_client::Server::sandbox().url(),
        "https://sandboxapi.up2.money"
    );
    assert_eq!(
        upmoney_client::Server::api_up_money().url(),
        "https://api.up.money"
    );
    assert_eq!(
        qitech_client::Server::production().url(),
        "https://api-auth.qitech.app"
    );
    assert_eq!(
        qitech_client::Server::sandbox().url(),
        "https://api-auth.sandbox.qitech.app"
    );
    assert_eq!(
        undostres_client::Server::sandbox().url(),
        "https://sandcaas.undostres.com.mx"
    );
    // Server variables are arguments.
    assert_eq!(
        undostres_client::Server::production("prod.example").url(),
        "https://prod.example"
    );
    assert_eq!(
        nueve09_client::Server::host("n9.example").url(),
        "https://n9.example"
    );
    assert_eq!(
        connectfi_client::Server::host("cf.example").url(),
        "https://cf.example"
    );
    // A custom URL's password is never printed; a bad URL is refused when building.
    let custom = upmoney_client::Server::custom(format!("https://user:{SECRET_A}@host.example/v1"));
    assert_no_canary("a server's Debug", &format!("{custom:?} {custom}"));
    for bad in [
        "ftp://host.example",
        "not a url",
        "https://host.example/?q=1",
    ] {
        let error = upmoney_client::Client::new(
            upmoney_client::Server::custom(bad),
            upmoney_client::Credentials::new(),
        )
        .unwrap_err();
        assert!(
            matches!(error, upmoney_client::Error::InvalidServer { .. }),
            "{bad}: {error:?}"
        );
    }
}

#[test]
fn secrets_are_redacted_everywhere() {
    use upmoney_client::*;
    let credentials = Credentials::new()
        .with_x_secret(SECRET_A)
        .with_authorization_key(SECRET_B);
    assert_no_canary("credentials", &format!("{credentials:?}"));
    let builder = Client::builder(Server::sandbox()).credentials(credentials.clone());
    assert_no_canary("a builder", &format!("{builder:?}"));
    let client = builder.build().unwrap();
    assert_no_canary("a client", &format!("{client:?}"));
    assert_eq!(client.credentials(), credentials);
    let secret = Secret::new(TOKEN);
    assert_eq!(format!("{secret:?} {secret}"), "<redacted> <redacted>");
    let call = client.login(body(
        json!({"email": "user@example.com", "password": {"value": PASSWORD}}),
    ));
    assert_no_canary("a call", &format!("{call:?}"));
    assert!(call.validate().is_ok());
    let reply = LoginReply::Ok(body(json!({"token": TOKEN})));
    assert_no_canary("a reply", &format!("{reply:?}"));
    assert_eq!(reply.token().unwrap().expose(), TOKEN);
}

#[tokio::test]
async fn secrets_in_error_responses_are_redacted() {
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    let client = |strict| {
        Client::builder(Server::custom(server.url.clone()))
            .credentials(
                Credentials::new()
                    .with_x_secret(SECRET_A)
                    .with_authorization_key(SECRET_B),
            )
            .strict(strict)
            .build()
            .unwrap()
    };
    // A token in an undecodable body, in an undocumented response, in a drifting one.
    for (status, text, strict) in [
        (200, format!(r#"{{"token": "{TOKEN}""#), false),
        (418, format!(r#"{{"token": "{TOKEN}"}}"#), false),
        (409, format!(r#"{{"errorCode": "{TOKEN}"}}"#), true),
    ] {
        server.push(Reply::json(status, text).header("set-cookie", &format!("session={TOKEN}")));
        let error = client(strict)
            .activate_physical_card("123", body(json!({"activationCode": ACTIVATION_CODE})))
            .await
            .unwrap_err();
        let response = error.response().unwrap();
        assert!(
            String::from_utf8_lossy(response.body()).contains(TOKEN),
            "the raw body is kept"
        );
        assert_no_canary("an error", &format!("{error:?} {error}"));
        assert_no_canary("a raw response", &format!("{response:?}"));
    }
    // Request violations never quote the value.
    let error = client(false)
        .activate_physical_card(
            format!("{TOKEN}x"),
            body(json!({"activationCode": ACTIVATION_CODE})),
        )
        .await
        .unwrap_err();
    assert_no_canary("a request error", &format!("{error:?} {error}"));
    assert_eq!(server.calls(), 3);
}

#[tokio::test]
async fn integer_error_codes_are_enums_that_keep_unknown_values() {
    use undostres_client::lenient::ErrorDetailCode;
    use undostres_client::*;
    let server = ReplayServer::start().await;
    let client = Client::new(
        Server::custom(server.url.clone()),
        Credentials::new().with_bearer_auth("t"),
    )
    .unwrap();
    let request = || -> models::ActivateCardForCustomerRequest {
        body(json!({"customer_id": "1", "card_identifier": "C", "reference_batch": "R"}))
    };
    let error = |code: i64| {
        json!({
            "text": "Error",
            "timestamp": "2025-11-18T11:50:57.960232171-06:00",
            "endpoint": "/debit/v1/activateCardForCustomer",
            "error": {"code": code, "hints": ["h"]}
        })
        .to_string()
    };
    for (code, expected) in [
        (4433, ErrorDetailCode::Code4433),
        (9999, ErrorDetailCode::Unknown(9999)),
    ] {
        server.push(Reply::json(400, error(code)));
        match client.activate_card_for_customer(request()).await.unwrap() {
            ActivateCardForCustomerReply::Default { status, body } => {
                assert_eq!(status, 400);
                assert_eq!(body.error.code, expected);
                assert_eq!(body.error.code.value(), code);
            }
            other => panic!("{other:?}"),
        }
    }
    // Strict mode reports the code the spec does not list.
    server.push(Reply::json(400, error(9999)));
    let strict = Client::builder(Server::custom(server.url.clone()))
        .credentials(Credentials::new().with_bearer_auth("t"))
        .strict(true)
        .build()
        .unwrap();
    let failure = failure!(
        undostres_client,
        strict
            .activate_card_for_customer(request())
            .await
            .unwrap_err()
    );
    assert_eq!(
        failure.violations,
        BTreeSet::from([("/error/code".to_owned(), "enum".to_owned())])
    );
}

/// QI Tech's AUTHORIZATION is a JWT signed per request (over the body's MD5): a call can carry
/// its own credentials, and the body bytes sent are `serde_json::to_vec(&body)`, the bytes a
/// signer hashes.
#[tokio::test]
async fn a_call_can_carry_its_own_credentials() {
    use qitech_client::*;
    let server = ReplayServer::start().await;
    let client = Client::new(
        Server::custom(server.url.clone()),
        Credentials::new().with_api_client_key("key"),
    )
    .unwrap();
    let request: models::ActivatePhysicalCardRequest = body(json!({"code": "123456"}));
    let signed_over = serde_json::to_vec(&request).unwrap();
    server.push(Reply::json(
        200,
        r#"{"card_key": "05fd3654-1f5d-479d-ade5-64239fdf214d", "status": "active"}"#,
    ));
    let call = client
        .activate_physical_card(
            "3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f",
            "05fd3654-1f5d-479d-ade5-64239fdf214d",
            request,
        )
        .credentials(
            Credentials::new()
                .with_api_client_key("key")
                .with_authorization(SECRET_B),
        );
    assert_no_canary("a call with credentials", &format!("{call:?}"));
    assert!(call.await.unwrap().is_success());
    let sent = server.take().remove(0);
    assert_eq!(sent.header("authorization"), Some(SECRET_B));
    assert_eq!(sent.body, signed_over);
    // The client's own credentials lack AUTHORIZATION: without the override nothing is sent.
    let error = client
        .activate_physical_card(
            "3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f",
            "05fd3654-1f5d-479d-ade5-64239fdf214d",
            body(json!({"code": "123456"})),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::MissingCredentials { .. }),
        "{error:?}"
    );
    assert_eq!(server.calls(), 1);
}
