//! `contract validate` with an empty body file, as a user runs it: a response whose status
//! documents no content (up.money's 401, 404, 429) conforms with an empty body and violates with
//! a non-empty one; a request without a body conforms where the operation has no requestBody
//! and violates where the body is required. An empty file was "malformed JSON", exit 2.

use assert_cmd::Command;
use predicates::prelude::*;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn validate(spec: &str, method: &str, path: &str) -> Command {
    let mut command = Command::cargo_bin("contract").expect("the contract binary is built");
    command
        .arg("validate")
        .args(["--spec", spec, "--method", method, "--path", path]);
    command
}

fn upmoney_response(status: &str, body: &str) -> assert_cmd::assert::Assert {
    validate(&repo("specs/upmoney.yaml"), "POST", "/cards/activate/123")
        .args(["--response", status, "-"])
        .write_stdin(body.to_owned())
        .assert()
}

#[test]
fn no_content_statuses_conform_with_an_empty_body() {
    for status in ["401", "404", "429"] {
        for body in ["", "\n", "  \r\n"] {
            upmoney_response(status, body)
                .code(0)
                .stdout(predicate::str::contains(format!(
                    "ok: response {status} POST /cards/activate/{{cardId}}"
                )));
        }
    }
}

#[test]
fn no_content_statuses_violate_with_a_body_and_never_print_it() {
    upmoney_response("401", r#"{"secret": "canary-no-content-1"}"#)
        .code(1)
        .stdout(predicate::str::contains(
            "body (root): no-content: expected an empty body (response 401 documents no content)",
        ))
        .stdout(predicate::str::contains("canary").not());
    // Still JSON or nothing: text that is neither is malformed, exit 2.
    upmoney_response("404", "not json")
        .code(2)
        .stderr(predicate::str::contains("malformed JSON"));
}

#[test]
fn a_status_with_a_body_still_needs_one() {
    // 403 documents a JSON body: an empty one is not checked against it, and says so.
    upmoney_response("403", "")
        .code(0)
        .stdout(predicate::str::contains("no body was given"));
}

#[test]
fn requests_without_a_body() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("t.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      \
         responses: {'204': {description: none}}\n    post:\n      requestBody:\n        \
         required: true\n        content: {application/json: {schema: {type: object}}}\n      \
         responses: {'204': {description: none}}\n",
    )
    .unwrap();
    let spec = spec.display().to_string();
    let empty = dir.path().join("empty.json");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.display().to_string();
    validate(&spec, "GET", "/a")
        .args(["--request", &empty])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("ok: request GET /a"));
    validate(&spec, "POST", "/a")
        .args(["--request", &empty])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "body (root): required: expected a request body, found none",
        ));
    validate(&spec, "GET", "/a")
        .args(["--response", "204", &empty])
        .assert()
        .code(0);
    validate(&spec, "GET", "/a")
        .args(["--response", "204", "-"])
        .write_stdin("{}")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("no-content"));
}
