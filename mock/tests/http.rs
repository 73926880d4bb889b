//! The mock over real HTTP on 127.0.0.1 (server on port 0): the generated clients (strict mode,
//! so every reply is also checked by the client's own validator) walk each card lifecycle and
//! land in the documented reply variants; every response the mock sends in a broad battery is
//! checked with `Contract::validate_response` (read back from the HAR it records, which proves
//! the HAR well formed too); malformed input (invalid UTF-8, huge, truncated and slow requests)
//! gets a precise refusal and never stops the server.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use contract::check::contract::Contract;
use contract::check::message::Response as CheckedResponse;
use contract_mock::{Config, Latency, Provider, Running};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const SECRET: &str = "canary-secret-5c1d";
const PASSWORD: &str = "canary-password-77aa";

fn specs_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs")
}

fn spec_paths() -> Vec<PathBuf> {
    contract::codegen::generate::Settings::new()
        .specs_dir(specs_dir())
        .spec_paths()
        .unwrap()
}

fn providers() -> Vec<Provider> {
    spec_paths()
        .iter()
        .map(|spec| Provider::load(spec).unwrap_or_else(|e| panic!("{}: {e}", spec.display())))
        .collect()
}

async fn start_with(change: impl FnOnce(&mut Config)) -> Running {
    let mut config = Config::new(providers());
    config.listen = "127.0.0.1:0".parse().unwrap();
    change(&mut config);
    contract_mock::start(config).await.unwrap()
}

async fn start() -> Running {
    start_with(|_| {}).await
}

fn base(running: &Running, prefix: &str) -> String {
    format!("http://{}/{prefix}", running.addr())
}

fn body<T: serde::de::DeserializeOwned>(json: Value) -> T {
    serde_json::from_value(json).expect("a valid request body")
}

fn field<T: serde::Serialize>(value: &T, pointer: &str) -> Value {
    serde_json::to_value(value)
        .unwrap()
        .pointer(pointer)
        .cloned()
        .unwrap_or(Value::Null)
}

/// Raw bytes over TCP; the whole reply as (lossy) text.
async fn raw(running: &Running, bytes: &[u8]) -> String {
    let mut stream = TcpStream::connect(running.addr()).await.unwrap();
    stream.write_all(bytes).await.unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

async fn still_serving(running: &Running) {
    let state = reqwest::get(format!("http://{}/__mock/state", running.addr()))
        .await
        .expect("the server still answers");
    assert_eq!(state.status(), 200);
}

fn upmoney_client(running: &Running) -> upmoney_client::Client {
    use upmoney_client::*;
    Client::builder(Server::custom(base(running, "upmoney")))
        .credentials(
            Credentials::new()
                .with_x_secret(SECRET)
                .with_authorization_key(SECRET),
        )
        .strict(true)
        .build()
        .unwrap()
}

#[tokio::test]
async fn upmoney_card_lifecycle_lands_in_each_documented_variant() {
    use upmoney_client::ActivatePhysicalCardReply as Reply;
    let running = start().await;
    let client = upmoney_client(&running);
    let activate = |id: &'static str, code: &'static str| {
        client.activate_physical_card(id, body(json!({"activationCode": code})))
    };
    match activate("1001", "123456").await.unwrap() {
        Reply::Ok(card) => {
            assert_eq!(card.id, "1001");
            assert_eq!(field(&card, "/state/state"), "ACTIVE");
        }
        other => panic!("first activation: {other:?}"),
    }
    let expect_conflict = |reply: Reply, code: &str| match reply {
        Reply::Conflict(error) => assert_eq!(field(&error, "/errorCode"), code),
        other => panic!("expected 409 {code}: {other:?}"),
    };
    expect_conflict(
        activate("1001", "123456").await.unwrap(),
        "INSTRUMENT_ALREADY_ACTIVATED",
    );
    expect_conflict(
        activate("1003", "123456").await.unwrap(),
        "INSTRUMENT_BLOCKED",
    );
    expect_conflict(
        activate("1004", "123456").await.unwrap(),
        "INSTRUMENT_DESTROYED",
    );
    assert!(matches!(
        activate("9999", "123456").await.unwrap(),
        Reply::NotFound
    ));
    // Reset: the card is new again; a wrong code is refused and leaves it new.
    let reset = reqwest::Client::new()
        .post(format!("http://{}/__mock/reset", running.addr()))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status(), 200);
    expect_conflict(
        activate("1001", "000000").await.unwrap(),
        "ACTIVATION_CODE_INVALID",
    );
    assert!(matches!(
        activate("1001", "123456").await.unwrap(),
        Reply::Ok(_)
    ));
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn qitech_undostres_and_connectfi_lifecycles_give_their_documented_errors() {
    let running = start().await;
    {
        use qitech_client::{ActivatePhysicalCardReply as Reply, *};
        let client = Client::builder(Server::custom(base(&running, "qitech")))
            .credentials(
                Credentials::new()
                    .with_api_client_key(SECRET)
                    .with_authorization(SECRET),
            )
            .strict(true)
            .build()
            .unwrap();
        let wallet = "3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f";
        let new = "05fd3654-1f5d-479d-ade5-64239fdf214d";
        let activate = |card: &'static str, code: &'static str| {
            client.activate_physical_card(wallet, card, body(json!({"code": code})))
        };
        match activate(new, "000000").await.unwrap() {
            Reply::NotAcceptable(error) => assert_eq!(field(&error, "/code"), "CARD000020"),
            other => panic!("wrong code: {other:?}"),
        }
        match activate(new, "253615").await.unwrap() {
            Reply::Ok(card) => {
                assert_eq!(field(&card, "/card_key"), new);
                assert_eq!(field(&card, "/status"), "active");
            }
            other => panic!("activation: {other:?}"),
        }
        match activate(new, "253615").await.unwrap() {
            Reply::NotAcceptable(error) => assert_eq!(field(&error, "/code"), "CARD000017"),
            other => panic!("again: {other:?}"),
        }
        match activate("00000000-0000-4000-8000-000000000000", "253615")
            .await
            .unwrap()
        {
            Reply::NotFound(error) => assert_eq!(field(&error, "/code"), "CARD000011"),
            other => panic!("unknown card: {other:?}"),
        }
    }
    {
        use undostres_client::{ActivateCardForCustomerReply as Reply, *};
        let client = Client::builder(Server::custom(base(&running, "undostres")))
            .credentials(Credentials::new().with_bearer_auth(SECRET))
            .strict(true)
            .build()
            .unwrap();
        let activate = |card: &'static str| {
            client.activate_card_for_customer(body(json!({
                "customer_id": "85", "card_identifier": card, "reference_batch": "7e4b85e2"
            })))
        };
        assert!(matches!(activate("CARD-001").await.unwrap(), Reply::Ok(_)));
        match activate("CARD-001").await.unwrap() {
            Reply::Default { status, body } => {
                assert_eq!(status, 400);
                assert_eq!(field(&body, "/error/code"), 4433);
            }
            other => panic!("again: {other:?}"),
        }
        match activate("NO-SUCH-CARD").await.unwrap() {
            Reply::Default { body, .. } => assert_eq!(field(&body, "/error/code"), 4400),
            other => panic!("unknown: {other:?}"),
        }
    }
    {
        use connectfi_client::{ActivateCardReply as Reply, *};
        let client = Client::builder(Server::custom(base(&running, "connectfi")))
            .credentials(Credentials::new().with_connectfi_token(SECRET))
            .strict(true)
            .build()
            .unwrap();
        // The spec marks the condor endpoint deprecated; it is still the one to mock.
        #[allow(deprecated)]
        let activate = |card: &'static str| client.activate_card(body(json!({"cardId": card})));
        assert!(matches!(
            activate("crda_6v9nQ3AKKyD5bzvTVbnkN2").await.unwrap(),
            Reply::Ok(_)
        ));
        match activate("crda_6v9nQ3AKKyD5bzvTVbnkN2").await.unwrap() {
            Reply::BadRequest(error) => assert_eq!(field(&error, "/subCode"), "C1014"),
            other => panic!("again: {other:?}"),
        }
    }
    running.shutdown().await.unwrap();
}

/// Sends `request`, returns (status, headers, body text).
async fn send(request: reqwest::RequestBuilder) -> (u16, reqwest::header::HeaderMap, String) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}

#[tokio::test]
async fn failing_requests_get_the_documented_error_and_never_an_echoed_secret() {
    let running = start().await;
    let http = reqwest::Client::new();
    let activate = |path: &str| {
        http.post(format!("{}{path}", base(&running, "upmoney")))
            .header("x-secret", SECRET)
            .header("authorization-key", SECRET)
    };
    // Missing credentials → upmoney's documented 401 (no body).
    let (status, _, text) = send(
        http.post(format!("{}/cards/activate/1001", base(&running, "upmoney")))
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!((status, text.as_str()), (401, ""));
    // Each broken rule picks its documented 400 example.
    for (sent, error) in [
        (json!({"activationCode": "1234567"}), "SIZE"),
        (json!({"activationCode": "12a"}), "REGEX"),
        (json!({}), "REQUIRED"),
    ] {
        let (status, _, text) = send(activate("/cards/activate/1001").json(&sent)).await;
        assert_eq!(status, 400, "{sent}: {text}");
        let reply: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(
            reply["syntaxErrors"]["invalidFields"][0]["error"], error,
            "{sent}"
        );
    }
    let (status, _, text) =
        send(activate("/cards/activate/1001").body("{\"activationCode\": ")).await;
    assert_eq!(status, 400, "malformed JSON: {text}");
    // QI Tech: credentials and invalid bodies.
    let qitech = format!(
        "{}/wallet/3f2c1e7a-8b4d-4c1a-9e2f-5a6b7c8d9e0f/card/05fd3654-1f5d-479d-ade5-64239fdf214d/activate",
        base(&running, "qitech")
    );
    let (status, _, text) = send(http.patch(&qitech).json(&json!({"code": "253615"}))).await;
    assert_eq!(status, 401);
    assert!(text.contains("GDF000014"), "{text}");
    let (status, _, text) = send(
        http.patch(&qitech)
            .header("api-client-key", SECRET)
            .header("authorization", SECRET)
            .json(&json!({"code": "1"})),
    )
    .await;
    assert_eq!(status, 400);
    assert!(text.contains("QIT000001"), "{text}");
    // No documented error: a 422 problem listing violations, secrets not echoed.
    let (status, headers, text) = send(
        http.post(format!("{}/auth/login", base(&running, "upmoney")))
            .header("x-secret", SECRET)
            .json(&json!({"password": {"value": PASSWORD}, "email": 5})),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let problem: Value = serde_json::from_str(&text).unwrap();
    assert!(
        problem["violations"]
            .as_array()
            .is_some_and(|v| !v.is_empty()),
        "{text}"
    );
    assert!(!text.contains(PASSWORD) && !text.contains(SECRET), "{text}");
    // Prefer: an example found by name alone, an undocumented code refused by a problem.
    let (status, _, text) = send(
        activate("/cards/activate/1001")
            .header("prefer", "example=access-token-required")
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!(
        (status, text.as_str()),
        (403, r#"{"errorCode":"ACCESS_TOKEN_REQUIRED"}"#)
    );
    let (status, headers, text) = send(
        activate("/cards/activate/1001")
            .header("prefer", "code=418")
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!(status, 422, "{text}");
    assert_eq!(headers["content-type"], "application/problem+json");
    let (status, _, text) = send(
        activate("/cards/activate/1001")
            .header("prefer", "code=409, example=nope")
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        text.contains("instrument-blocked"),
        "the problem lists the examples: {text}"
    );
    // Unknown routes and methods.
    let (status, _, _) = send(activate("/cards/nope")).await;
    assert_eq!(status, 404);
    let (status, headers, _) =
        send(http.get(format!("{}/cards/activate/1", base(&running, "upmoney")))).await;
    assert_eq!(status, 405);
    assert_eq!(headers["allow"], "POST");
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn the_host_header_selects_the_provider_of_a_real_base_url() {
    let running = start().await;
    let (status, _, text) = send(
        reqwest::Client::new()
            .post(format!("http://{}/cards/activate/1001", running.addr()))
            .header("host", "sandboxapi.up2.money")
            .header("x-secret", SECRET)
            .header("authorization-key", SECRET)
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!(status, 200, "{text}");
    let (status, _, text) =
        send(reqwest::Client::new().get(format!("http://{}/nowhere", running.addr()))).await;
    assert_eq!(status, 404);
    assert!(
        text.contains("/upmoney"),
        "the problem lists the prefixes: {text}"
    );
    running.shutdown().await.unwrap();
}

/// Every documented response of every operation (by `Prefer: code=`, each named example, and
/// generated bodies under several seeds), the lifecycles, and refusals; then every response in
/// the recorded HAR that is not the mock's own problem document must conform.
#[tokio::test]
async fn every_response_the_mock_sends_conforms_to_the_spec() {
    let har = tempfile_path("battery.har");
    let record = har.clone();
    let running = start_with(move |config| config.record = Some(record)).await;
    let http = reqwest::Client::new();
    let mut sent = 0;
    for spec in spec_paths() {
        let provider = Provider::load(&spec).unwrap();
        let contract = &provider.contract;
        for operation in contract.operations() {
            let path = concrete(&operation.template);
            let url = format!("{}{path}", base(&running, &provider.name));
            let request_body = request_example(contract, &operation.pointer);
            let mut preferences = vec![String::new(), "dynamic=true".to_owned()];
            for key in provider.response_keys(operation) {
                let status = match key.parse::<u16>() {
                    Ok(status) => status,
                    Err(_) if key == "default" => 418,
                    Err(_) => key.as_bytes()[0].wrapping_sub(b'0') as u16 * 100 + 22,
                };
                preferences.push(format!("code={status}"));
                preferences.push(format!("code={status}, dynamic=true"));
                for example in provider.example_names(operation, &key) {
                    preferences.push(format!("code={status}, example={example}"));
                }
            }
            for credentials in [true, false] {
                for prefer in &preferences {
                    let mut request = http
                        .request(operation.method.parse().unwrap(), &url)
                        .header("prefer", prefer.as_str());
                    if credentials {
                        request = request
                            .header("authorization", format!("Bearer {SECRET}"))
                            .header("x-secret", SECRET)
                            .header("authorization-key", SECRET)
                            .header("api-client-key", SECRET)
                            .header("x-connectfi-token", SECRET);
                    }
                    if let Some(body) = &request_body {
                        request = request.json(body);
                    }
                    let response = request.send().await.unwrap();
                    // 5xx only when asked for: never an answer the mock failed to build.
                    let status = response.status().as_u16();
                    // The mock's own problem only for a status the spec leaves undocumented:
                    // under a `4XX` or `default` key it would break the spec.
                    let problem = response
                        .headers()
                        .get("content-type")
                        .is_some_and(|value| value == "application/problem+json");
                    assert!(
                        !problem || provider.response_key(operation, status, None).is_none(),
                        "{} {url} {prefer}: a problem document under a documented {status}",
                        operation.method
                    );
                    assert!(
                        status < 500 || prefer.contains(&format!("code={status}")),
                        "{} {url} {prefer}: {status}",
                        operation.method
                    );
                    sent += 1;
                }
            }
        }
    }
    running.shutdown().await.unwrap();
    let text = std::fs::read_to_string(&har).unwrap();
    let har: Value = serde_json::from_str(&text).expect("the HAR is JSON");
    assert_eq!(har["log"]["version"], "1.2");
    let entries = har["log"]["entries"].as_array().unwrap();
    assert_eq!(entries.len(), sent);
    assert!(
        !text.contains(SECRET),
        "credential headers are redacted in the HAR"
    );
    let contracts: Vec<(String, Contract)> = spec_paths()
        .iter()
        .map(|spec| {
            let provider = Provider::load(spec).unwrap();
            (provider.name.clone(), provider.contract)
        })
        .collect();
    let mut checked = 0;
    for entry in entries {
        for key in [
            "startedDateTime",
            "time",
            "request",
            "response",
            "cache",
            "timings",
        ] {
            assert!(entry.get(key).is_some(), "HAR entry without {key}");
        }
        let response = &entry["response"];
        let mime = response["content"]["mimeType"].as_str().unwrap();
        if mime == "application/problem+json" {
            continue;
        }
        let url = entry["request"]["url"].as_str().unwrap();
        let path = url.splitn(4, '/').nth(3).unwrap();
        let (prefix, rest) = path.split_once('/').unwrap();
        let contract = &contracts.iter().find(|(name, _)| name == prefix).unwrap().1;
        let body_text = response["content"]["text"].as_str().unwrap();
        let status = response["status"].as_u64().unwrap().to_string();
        let mut checked_response = CheckedResponse::new(
            entry["request"]["method"].as_str().unwrap(),
            format!("/{rest}"),
            status,
        );
        if !body_text.is_empty() {
            checked_response = checked_response.with_body(serde_json::from_str(body_text).unwrap());
        }
        let report = contract.validate_response(&checked_response).unwrap();
        assert!(report.conforms(), "{url}:\n{report}\n{body_text}");
        checked += 1;
    }
    assert!(
        checked > 100,
        "only {checked} documented responses were checked"
    );
}

fn tempfile_path(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("contract-mock-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A concrete path for a template: uuid-looking values for uuid parameters, digits otherwise.
fn concrete(template: &str) -> String {
    template
        .split('/')
        .map(|segment| {
            if segment.starts_with('{') {
                if segment.to_ascii_uppercase().contains("KEY") {
                    "05fd3654-1f5d-479d-ade5-64239fdf214d".to_owned()
                } else {
                    "1001".to_owned()
                }
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The first named example of the operation's JSON request body, if any.
fn request_example(contract: &Contract, operation: &str) -> Option<Value> {
    let content = contract
        .spec()
        .document
        .pointer(&format!("{operation}/requestBody/content"))?;
    let media = content.as_object()?.values().next()?;
    let example = media.get("examples")?.as_object()?.values().next()?;
    example.get("value").cloned()
}

#[tokio::test]
async fn faults_latency_and_seeds() {
    // Every request an injected error: upmoney documents 429, 500 and 503.
    let running = start_with(|config| config.error_rate = 1.0).await;
    let http = reqwest::Client::new();
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..40 {
        let (status, headers, _) = send(
            http.post(format!("{}/cards/activate/1001", base(&running, "upmoney")))
                .header("x-secret", SECRET)
                .header("authorization-key", SECRET)
                .json(&json!({"activationCode": "123456"})),
        )
        .await;
        assert!([429, 500, 503].contains(&status), "{status}");
        if status != 500 {
            assert_eq!(headers["retry-after"], "1");
        }
        seen.insert(status);
    }
    assert_eq!(seen.len(), 3, "{seen:?}");
    // The store was not touched by injected errors.
    let state: Value = http
        .get(format!("http://{}/__mock/state", running.addr()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["upmoney"][0]["state"], "new");
    running.shutdown().await.unwrap();

    // Prefer: delay and --latency.
    let running = start_with(|config| config.latency = Latency::Fixed(50)).await;
    let started = Instant::now();
    let (status, _, _) = send(
        http.post(format!("{}/cards/activate/1001", base(&running, "upmoney")))
            .header("x-secret", SECRET)
            .header("authorization-key", SECRET)
            .header("prefer", "delay=200")
            .json(&json!({"activationCode": "123456"})),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        started.elapsed() >= Duration::from_millis(250),
        "{:?}",
        started.elapsed()
    );
    running.shutdown().await.unwrap();

    // The same seed and the same requests give the same generated bodies.
    let mut runs = Vec::new();
    for seed in [7, 7, 8] {
        let running = start_with(|config| config.seed = seed).await;
        let mut bodies = Vec::new();
        for _ in 0..3 {
            let (_, _, text) = send(
                http.post(format!("{}/cards/activate/1001", base(&running, "upmoney")))
                    .header("x-secret", SECRET)
                    .header("authorization-key", SECRET)
                    .header("prefer", "dynamic=true")
                    .json(&json!({"activationCode": "123456"})),
            )
            .await;
            bodies.push(text);
        }
        runs.push(bodies);
        running.shutdown().await.unwrap();
    }
    assert_eq!(runs[0], runs[1]);
    assert_ne!(runs[0], runs[2]);
}

#[tokio::test]
async fn admin_state_replaces_and_reset_restores_the_seeds() {
    let running = start().await;
    let http = reqwest::Client::new();
    let admin = |path: &str| format!("http://{}/__mock/{path}", running.addr());
    let (status, _, _) = send(
        http.post(admin("state"))
            .json(&json!({"upmoney": [{"id": "77", "state": "blocked", "code": "1"}]})),
    )
    .await;
    assert_eq!(status, 200);
    let state: Value = http
        .get(admin("state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        state["upmoney"],
        json!([{"id": "77", "state": "blocked", "code": "<redacted>"}])
    );
    let (status, _, text) = send(http.post(admin("state")).json(&json!({"nobody": []}))).await;
    assert_eq!(status, 404, "{text}");
    let (status, _, _) = send(http.post(admin("state")).body("{")).await;
    assert_eq!(status, 400);
    send(http.post(admin("reset"))).await;
    let state: Value = http
        .get(admin("state"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(state["upmoney"].as_array().unwrap().len(), 4);
    running.shutdown().await.unwrap();
}

#[tokio::test]
async fn malformed_input_is_refused_and_the_server_keeps_serving() {
    let running = start_with(|config| {
        config.max_body = 1024;
        config.header_timeout = Duration::from_millis(500);
        config.body_timeout = Duration::from_millis(500);
    })
    .await;
    // Invalid UTF-8 in the path.
    let reply = raw(
        &running,
        b"GET /upmoney/\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
    )
    .await;
    assert!(reply.starts_with("HTTP/1.1 4"), "{reply}");
    let reply = raw(&running, b"POST /upmoney/cards/activate/%FF%FE HTTP/1.1\r\nHost: x\r\nx-secret: a\r\nauthorization-key: b\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}").await;
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    // Invalid UTF-8 in a header value: refused, the bytes not echoed.
    let reply = raw(&running, b"POST /upmoney/cards/activate/1001 HTTP/1.1\r\nHost: x\r\nx-secret: \xc3\x28secret\r\nauthorization-key: b\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{\"activationCode\":\"123456\"}").await;
    assert!(reply.starts_with("HTTP/1.1 401"), "{reply}");
    // The header's name may be listed (`x-mock-violations`), its value never.
    assert!(!reply.contains("(secret"), "{reply}");
    // A huge body: 413 before it is read.
    let mut huge =
        b"POST /upmoney/cards/activate/1001 HTTP/1.1\r\nHost: x\r\nContent-Length: 2000000\r\n\r\n"
            .to_vec();
    huge.extend([b' '; 4096]);
    let reply = raw(&running, &huge).await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    // Over the limit without a declared length (chunked): 413 once the limit is passed.
    let mut chunked = b"POST /upmoney/cards/activate/1001 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..4 {
        chunked.extend(b"400\r\n");
        chunked.extend([b' '; 1024]);
        chunked.extend(b"\r\n");
    }
    chunked.extend(b"0\r\n\r\n");
    let reply = raw(&running, &chunked).await;
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    // A truncated body (the client stops sending): 408 after the body timeout.
    let started = Instant::now();
    let reply = raw(&running, b"POST /upmoney/cards/activate/1001 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"activation").await;
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // A slow client that never finishes its headers is cut off.
    let started = Instant::now();
    let mut stream = TcpStream::connect(running.addr()).await.unwrap();
    stream
        .write_all(b"GET /__mock/state HTTP/1.1\r\nHost:")
        .await
        .unwrap();
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // An overlong URI and too many headers.
    let long = format!(
        "GET /upmoney/{} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        "a".repeat(9000)
    );
    let reply = raw(&running, long.as_bytes()).await;
    assert!(
        reply.starts_with("HTTP/1.1 414") || reply.starts_with("HTTP/1.1 431"),
        "{reply}"
    );
    let mut many = String::from("GET /__mock/state HTTP/1.1\r\nHost: x\r\n");
    for n in 0..200 {
        many.push_str(&format!("x-h{n}: v\r\n"));
    }
    many.push_str("\r\n");
    let reply = raw(&running, many.as_bytes()).await;
    assert!(reply.starts_with("HTTP/1.1 431"), "{reply}");
    // Garbage instead of HTTP.
    let reply = raw(&running, b"\x00\x01\x02garbage\r\n\r\n").await;
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 400"),
        "{reply}"
    );
    still_serving(&running).await;
    running.shutdown().await.unwrap();
}

/// Found by Schemathesis (scripts/schemathesis-mock.sh): where a spec covers 401 or 422 only by
/// `default` (nueve09, UnDosTres), a refused request got the mock's `application/problem+json`
/// 422, which that `default` does not document. It now gets a documented answer, conforming, with
/// the violations (never the values) in `x-mock-violations`.
#[tokio::test]
async fn refusals_under_a_default_response_are_documented_answers() {
    let running = start().await;
    let http = reqwest::Client::new();
    let providers = providers();
    let undostres = "/debit/v1/activateCardForCustomer";
    let bearer = format!("Bearer {SECRET}");
    // nueve09 PUT /cards without its required body; UnDosTres without credentials; nueve09
    // with neither, and a body property whose name is not Latin-1 (what crashed Prism).
    let cases = [
        (
            "nueve09",
            "PUT",
            "/cards",
            Some(bearer.as_str()),
            None,
            400,
            "body # required",
        ),
        (
            "undostres",
            "POST",
            undostres,
            None,
            Some(
                json!({"customer_id": "12345678", "card_identifier": "CARD-001",
                "reference_batch": "7e4b85e27c4610824900af48f340394d"}),
            ),
            401,
            "header #/authorization security",
        ),
        (
            "nueve09",
            "PUT",
            "/cards",
            None,
            Some(json!({"カード": SECRET})),
            401,
            "header #/authorization security",
        ),
    ];
    for (name, method, path, authorization, sent, expected, violation) in cases {
        let mut request = http.request(
            method.parse().unwrap(),
            format!("{}{path}", base(&running, name)),
        );
        if let Some(authorization) = authorization {
            request = request.header("authorization", authorization);
        }
        if let Some(sent) = &sent {
            request = request.json(sent);
        }
        let (status, headers, text) = send(request).await;
        assert_eq!(status, expected, "{name}: {text}");
        assert_eq!(headers["content-type"], "application/json", "{name}");
        let listed = headers["x-mock-violations"].to_str().unwrap();
        assert!(listed.contains(violation), "{name}: {listed}");
        assert!(!listed.contains(SECRET) && !text.contains(SECRET), "{name}");
        let mut checked = CheckedResponse::new(method, path, status.to_string());
        if !text.is_empty() {
            checked = checked.with_body(serde_json::from_str(&text).unwrap());
        }
        let provider = providers.iter().find(|p| p.name == name).unwrap();
        let report = provider.contract.validate_response(&checked).unwrap();
        assert!(report.conforms(), "{name}: {report}\n{text}");
    }
    still_serving(&running).await;
    running.shutdown().await.unwrap();
}
