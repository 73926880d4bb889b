//! The `contract` binary as a user runs it: exit codes, human and JSON output, error messages.

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn repo(path: &str) -> String {
    format!("{}/../{path}", env!("CARGO_MANIFEST_DIR"))
}

fn contract() -> Command {
    Command::cargo_bin("contract").expect("the contract binary is built")
}

fn validate(args: &[&str]) -> Command {
    let mut command = contract();
    command
        .arg("validate")
        .args(["--spec", &repo("specs/upmoney.yaml"), "--method", "POST"]);
    command.args(args);
    command
}

#[test]
fn a_conforming_request_exits_0() {
    validate(&["--path", "/cards/activate/123", "--request", "-"])
        .write_stdin(r#"{"activationCode": "123456"}"#)
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "ok: request POST /cards/activate/{cardId}",
        ));
}

#[test]
fn violations_exit_1_and_are_all_printed_without_secrets() {
    // A wrong path parameter, and an activation code (sensitive) that breaks pattern and length.
    let output = validate(&[
        "--path",
        "/cards/activate/abc",
        "--request",
        "-",
        "--format",
        "json",
    ])
    .write_stdin(r#"{"activationCode": "98x7654"}"#)
    .assert()
    .code(1)
    .get_output()
    .stdout
    .clone();
    let text = String::from_utf8(output).unwrap();
    assert!(
        !text.contains("98x7654"),
        "a sensitive value leaked: {text}"
    );
    let report: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(report["conforms"], false);
    let found: Vec<(String, String, String)> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["in"].as_str().unwrap().into(),
                v["pointer"].as_str().unwrap().into(),
                v["rule"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected = [
        ("path", "/cardId", "pattern"),
        ("body", "/activationCode", "maxLength"),
        ("body", "/activationCode", "pattern"),
    ];
    for (part, pointer, rule) in expected {
        assert!(
            found.contains(&(part.into(), pointer.into(), rule.into())),
            "{rule} at {pointer} missing: {found:?}"
        );
    }
    assert_eq!(found.len(), 3, "{found:?}");
    let location = report["violations"][0]["spec_location"].as_str().unwrap();
    assert!(location.starts_with("#/paths/"), "{location}");
}

#[test]
fn missing_credentials_are_reported_when_headers_are_given() {
    validate(&[
        "--path",
        "/cards/activate/1",
        "--request",
        "-",
        "--header",
        "x-secret: c2VjcmV0",
    ])
    .write_stdin(r#"{"activationCode": "1"}"#)
    .assert()
    .code(1)
    .stdout(predicate::str::contains(
        "header /authorization-key: security",
    ))
    .stdout(predicate::str::contains("c2VjcmV0").not());
}

#[test]
fn responses_match_exact_status_and_flag_undocumented_ones() {
    validate(&["--path", "/cards/activate/1", "--response", "409", "-"])
        .write_stdin(r#"{"errorCode": "INSTRUMENT_ALREADY_ACTIVATED"}"#)
        .assert()
        .code(0);
    validate(&["--path", "/cards/activate/1", "--response", "409", "-"])
        .write_stdin(r#"{"errorCode": "SOMETHING_NEW"}"#)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("body /errorCode: enum"));
    validate(&["--path", "/cards/activate/1", "--response", "418", "-"])
        .write_stdin("{}")
        .assert()
        .code(1)
        .stdout(predicate::str::contains("status (root): status"));
}

#[test]
fn ranges_and_default_are_used_when_no_exact_status_matches() {
    let qitech = repo("specs/qitech.yaml");
    let path = "/wallet/05fd3654-1f5d-479d-ade5-64239fdf214d/card/05fd3654-1f5d-479d-ade5-64239fdf214d/activate";
    let body = r#"{"title": "I'm a teapot", "description": "d", "translation": "t", "code": "X1"}"#;
    contract()
        .args([
            "validate", "--spec", &qitech, "--method", "PATCH", "--path", path,
        ])
        .args(["--response", "418", "-"])
        .write_stdin(body)
        .assert()
        .stdout(predicate::str::contains("response 418 (as 4XX)"));
    let undostres = repo("specs/undostres.yaml");
    contract()
        .args(["validate", "--spec", &undostres, "--method", "POST"])
        .args([
            "--path",
            "/debit/v1/activateCardForCustomer",
            "--response",
            "400",
            "-",
        ])
        .write_stdin("{}")
        .assert()
        .stdout(predicate::str::contains("response 400 (as default)"));
}

#[test]
fn an_unknown_route_exits_2_and_lists_the_documented_ones() {
    validate(&["--path", "/cards/123/activate", "--request", "-"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no route in"))
        .stderr(predicate::str::contains("POST /cards/activate/{cardId}"));
}

#[test]
fn a_method_the_route_does_not_have_exits_2() {
    contract()
        .args(["validate", "--spec", &repo("specs/upmoney.yaml")])
        .args([
            "--method",
            "GET",
            "--path",
            "/cards/activate/1",
            "--request",
            "-",
        ])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("only for POST"));
}

#[test]
fn malformed_json_exits_2_with_line_and_column() {
    validate(&["--path", "/cards/activate/1", "--request", "-"])
        .write_stdin("{\n    \"activationCode\":123 // your activation code\n}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("<stdin>:2:26: malformed JSON"));
}

#[test]
fn a_malformed_spec_exits_2_naming_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo:\n  title: [unclosed\n").unwrap();
    contract()
        .args(["validate", "--spec", spec.to_str().unwrap()])
        .args(["--method", "GET", "--path", "/", "--request", "-"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("broken.yaml:"))
        .stderr(predicate::str::contains("not valid YAML"));
}

#[test]
fn json_format_reports_errors_as_json() {
    let output = validate(&["--path", "/nowhere", "--request", "-", "--format", "json"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let error: Value = serde_json::from_slice(&output).unwrap();
    assert_eq!(error["error"]["kind"], "unknown-route");
}

#[test]
fn usage_errors_exit_2() {
    contract()
        .args(["validate", "--spec", "x.yaml"])
        .assert()
        .code(2);
    validate(&["--path", "/cards/activate/1", "--response", "abc", "-"])
        .write_stdin("{}")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid status"));
    validate(&[
        "--path",
        "/cards/activate/1",
        "--request",
        "-",
        "--header",
        "no-colon",
    ])
    .write_stdin("{}")
    .assert()
    .code(2)
    .stderr(predicate::str::contains("invalid header"));
}
