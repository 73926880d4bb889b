//! `contract validate --har` on traffic recorded from a generated client (upmoney's) talking to a
//! real HTTP server on 127.0.0.1: a small recorder pairs each request the server received with
//! the reply it sent and writes them as a HAR 1.2 archive. The recorded entries conform; copies
//! edited by hand (a bad body, a missing credential, an undocumented status, a body where none
//! is documented, another host, a base64 body) give exactly the expected findings; canary
//! secrets never appear in the output, human or JSON.
//!
//! The command runs in process through the binary's own argument parser and entry point
//! (`Cli::try_parse_from` → `check::har::run`), so its exit code and output are the binary's.

mod replay;

use base64::Engine as _;
use clap::Parser as _;
use conformance::{samples_dir, specs_dir};
use contract::cli::{Cli, Command};
use replay::{Recorded, ReplayServer, Reply};
use serde_json::{Value, json};

const SECRET: &str = "canary-secret-har-5d1c";
const KEY: &str = "canary-key-har-a93b";
const PASSWORD: &str = "canary-password-har-77e0";
const TOKEN: &str = "canary-token-har-0b2f";
/// upmoney's activation code (sensitive): digits only, at most 6.
const ACTIVATION_CODE: &str = "918273";
const CANARIES: [&str; 6] = [SECRET, KEY, PASSWORD, TOKEN, ACTIVATION_CODE, "canary-"];

fn assert_no_canary(what: &str, text: &str) {
    for canary in CANARIES {
        assert!(
            !text.contains(canary),
            "{what} shows the secret {canary:?}:\n{text}"
        );
    }
}

fn body<T: serde::de::DeserializeOwned>(json: Value) -> T {
    serde_json::from_value(json).expect("a valid request body")
}

fn pairs(list: &[(String, String)]) -> Value {
    list.iter()
        .map(|(name, value)| json!({"name": name, "value": value}))
        .collect()
}

/// One HAR 1.2 entry from a request the server received and the reply it sent.
fn entry(base: &str, request: &Recorded, reply: &Reply) -> Value {
    let query: Vec<(String, String)> = request
        .target
        .split_once('?')
        .map(|(_, query)| {
            query
                .split('&')
                .map(|pair| {
                    let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (name.to_owned(), value.to_owned())
                })
                .collect()
        })
        .unwrap_or_default();
    let mime = |headers: &[(String, String)]| {
        headers
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    };
    let mut har_request = json!({
        "method": request.method,
        "url": format!("{base}{}", request.target),
        "httpVersion": "HTTP/1.1",
        "cookies": [],
        "headers": pairs(&request.headers),
        "queryString": pairs(&query),
        "headersSize": -1,
        "bodySize": request.body.len(),
    });
    if !request.body.is_empty() {
        har_request["postData"] = json!({
            "mimeType": mime(&request.headers),
            "text": String::from_utf8_lossy(&request.body),
        });
    }
    json!({
        "startedDateTime": "2026-01-01T00:00:00.000Z",
        "time": 1,
        "request": har_request,
        "response": {
            "status": reply.status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": pairs(&reply.headers),
            "content": {
                "size": reply.body.len(),
                "mimeType": mime(&reply.headers),
                "text": String::from_utf8_lossy(&reply.body),
            },
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": reply.body.len(),
        },
        "cache": {},
        "timings": {"send": 0, "wait": 1, "receive": 0},
    })
}

fn archive(entries: Vec<Value>) -> Value {
    json!({"log": {
        "version": "1.2",
        "creator": {"name": "conformance tests/har.rs", "version": "1"},
        "entries": entries,
    }})
}

/// Drives upmoney's generated client against a local server and records every exchange.
async fn record() -> (String, Vec<Value>) {
    use upmoney_client::*;
    let server = ReplayServer::start().await;
    let client = Client::builder(Server::custom(server.url.clone()))
        .credentials(
            Credentials::new()
                .with_x_secret(SECRET)
                .with_authorization_key(KEY),
        )
        .build()
        .expect("a client");
    let card = std::fs::read(samples_dir("upmoney").join("doc/response-200.json")).unwrap();
    let replies = vec![
        Reply::json(200, format!(r#"{{"token": "{TOKEN}"}}"#)),
        Reply::json(200, card),
        Reply::empty(401),
        Reply::json(403, r#"{"errorCode": "STEP_UP_REQUIRED"}"#),
        Reply::empty(404),
    ];
    for reply in &replies {
        server.push(reply.clone());
    }
    let login = client
        .login(body(
            json!({"email": "user@example.com", "password": {"value": PASSWORD}}),
        ))
        .await
        .expect("login lands");
    assert!(login.is_success());
    for _ in 1..replies.len() {
        client
            .activate_physical_card("123", body(json!({"activationCode": ACTIVATION_CODE})))
            .await
            .expect("every reply is documented");
    }
    let recorded = server.take();
    assert_eq!(recorded.len(), replies.len(), "one request per reply");
    let entries = recorded
        .iter()
        .zip(&replies)
        .map(|(request, reply)| entry(&server.url, request, reply))
        .collect();
    (server.url.clone(), entries)
}

fn recorded() -> (String, Vec<Value>) {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(record())
}

/// Runs `contract validate --har FILE ARGS...` as the binary does: (exit code, stdout, stderr).
fn validate_har(har: &Value, args: &[&str]) -> (u8, String, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("traffic.har");
    std::fs::write(&file, serde_json::to_vec_pretty(har).unwrap()).unwrap();
    let file = file.display().to_string();
    let mut argv = vec!["contract", "validate", "--har", &file];
    argv.extend_from_slice(args);
    let cli = Cli::try_parse_from(&argv).unwrap_or_else(|error| panic!("{argv:?}: {error}"));
    let Command::Validate(args) = cli.command else {
        panic!("not validate")
    };
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = contract::check::har::run(&args, &mut out, &mut err);
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    assert_no_canary("the output", &out);
    assert_no_canary("the error output", &err);
    (code, out.replace(&file, "traffic.har"), err)
}

fn upmoney() -> String {
    specs_dir().join("upmoney.yaml").display().to_string()
}

/// The (rule, message start) of each entry's findings, from the JSON output.
fn findings(out: &str) -> Vec<Vec<String>> {
    let value: Value = serde_json::from_str(out).unwrap_or_else(|error| panic!("{error}\n{out}"));
    value["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|section| {
            section["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|finding| finding["rule"].as_str().unwrap().to_owned())
                .collect()
        })
        .collect()
}

#[test]
fn recorded_traffic_conforms_and_edited_entries_give_their_findings() {
    let (url, entries) = recorded();
    let spec = upmoney();
    let local = ["--spec", spec.as_str(), "--server", url.as_str()];

    // As recorded: every entry conforms, request and response, credentials included.
    let (code, out, err) = validate_har(&archive(entries.clone()), &local);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(
        out.lines().filter(|line| line.starts_with("ok ")).count(),
        5,
        "{out}"
    );
    assert!(
        out.contains("5 entries: 5 conform, 0 fail, 0 skipped"),
        "{out}"
    );

    // Without --server the local host is no spec's: every entry is listed as skipped, exit 0.
    let (code, out, _) = validate_har(&archive(entries.clone()), &["--spec", &spec]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("5 entries: 0 conform, 0 fail, 5 skipped"),
        "{out}"
    );
    assert_eq!(
        out.lines().filter(|line| line.starts_with("skip ")).count(),
        5
    );

    // Hand edits, one per entry.
    let mut edited = entries.clone();
    // 0 (login): the response token has the wrong type.
    edited[0]["response"]["content"]["text"] = json!(r#"{"token": 12}"#);
    // 1 (activate, 200): the x-secret credential header is dropped; the body stays base64.
    let headers = edited[1]["request"]["headers"].as_array_mut().unwrap();
    headers.retain(|header| header["name"] != "x-secret");
    let text = edited[1]["response"]["content"]["text"]
        .as_str()
        .unwrap()
        .to_owned();
    edited[1]["response"]["content"]["text"] =
        json!(base64::engine::general_purpose::STANDARD.encode(text));
    edited[1]["response"]["content"]["encoding"] = json!("base64");
    // 2 (activate, 401): a body where the status documents none.
    edited[2]["response"]["content"]["text"] = json!(format!(r#"{{"leak": "{SECRET}"}}"#));
    // 3 (activate, 403): an undocumented status.
    edited[3]["response"]["status"] = json!(418);
    // 4 (activate, 404): another host, with a secret in its query.
    edited[4]["request"]["url"] = json!(format!("https://elsewhere.example/cards?token={TOKEN}"));
    // 5: a request body whose sensitive activation code breaks its pattern.
    let mut bad_body = entries[1].clone();
    bad_body["request"]["postData"]["text"] = json!(r#"{"activationCode": "canary-x"}"#);
    edited.push(bad_body);
    // 6: a path no operation documents.
    let mut unknown = entries[1].clone();
    unknown["request"]["url"] = json!(format!("{url}/cards/unknown"));
    edited.push(unknown);

    let har = archive(edited);
    let (code, out, err) = validate_har(&har, &local);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains("7 entries: 0 conform, 6 fail, 1 skipped"),
        "{out}"
    );
    assert!(
        out.contains("skip  har traffic.har#4 POST https://elsewhere.example/cards?token=…"),
        "{out}"
    );
    let (code, json_out, _) = validate_har(&har, &[&local[..], &["--format", "json"]].concat());
    assert_eq!(code, 1);
    let found = findings(&json_out);
    assert_eq!(
        found,
        vec![
            vec!["type".to_owned()],
            vec!["security".to_owned()],
            vec!["no-content".to_owned()],
            vec!["status".to_owned()],
            vec!["har-skipped".to_owned()],
            vec!["maxLength".to_owned(), "pattern".to_owned()],
            vec!["har-unknown-route".to_owned()],
        ],
        "{json_out}"
    );
    let summary: Value = serde_json::from_str::<Value>(&json_out).unwrap()["summary"].clone();
    assert_eq!(
        summary,
        json!({"entries": 7, "conforming": 0, "failing": 6, "skipped": 1})
    );
}

#[test]
fn unreadable_archives_and_bad_arguments_exit_2() {
    let spec = upmoney();
    let (code, out, err) = validate_har(
        &json!({"log": {"entries": [{"request": {}}]}}),
        &["--spec", &spec],
    );
    assert_eq!(code, 2, "{out}");
    assert!(
        err.contains("not a HAR 1.2 archive: at log.entries[0].request"),
        "{err}"
    );
    let (code, _, err) = validate_har(&archive(Vec::new()), &["--server", "http://127.0.0.1:1"]);
    assert_eq!(code, 2);
    assert!(err.contains("--server needs exactly one --spec"), "{err}");
    let (code, _, err) = validate_har(&archive(Vec::new()), &["--spec", &spec, "--server", "/v1"]);
    assert_eq!(code, 2);
    assert!(err.contains("not an absolute http(s) URL"), "{err}");
}
