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

/// A small spec with one construct the generator reports: a `text/csv` body it cannot check.
const SPEC_WITH_A_DIAGNOSTIC: &str = "openapi: 3.0.3
info: {title: Pets, version: 1.0.0}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
  /export:
    get:
      operationId: exportPets
      responses:
        '200':
          description: csv
          content:
            text/csv:
              schema: {type: string}
components:
  schemas:
    Pet:
      type: object
      properties:
        name: {type: string}
";

/// Where the generator reports `SPEC_WITH_A_DIAGNOSTIC`, and what it says.
const DIAGNOSTIC_AT: &str = "#/paths/~1export/get/responses/200/content/text~1csv/schema: `text/csv` is neither JSON nor a form";

/// Writes `SPEC_WITH_A_DIAGNOSTIC` as `dir/file_name`; returns its path.
fn write_spec(dir: &std::path::Path, file_name: &str) -> String {
    let path = dir.join(file_name);
    std::fs::write(&path, SPEC_WITH_A_DIAGNOSTIC).unwrap();
    path.to_str().unwrap().to_owned()
}

fn generate(spec: &str, out: &std::path::Path) -> Command {
    let mut command = contract();
    command.args(["generate", "--spec", spec, "--out"]).arg(out);
    command
}

/// The `name = "..."` line of a generated crate's Cargo.toml.
fn package_name(crate_dir: &std::path::Path) -> String {
    let manifest = std::fs::read_to_string(crate_dir.join("Cargo.toml"))
        .unwrap_or_else(|error| panic!("{}: {error}", crate_dir.display()));
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("name = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or_else(|| panic!("no package name in {manifest}"))
        .to_owned()
}

/// Names of the entries of a folder, sorted (empty when it does not exist).
fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|read| {
            read.filter_map(Result::ok)
                .map(|entry| entry.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn crates_are_named_validly_whatever_the_spec_file_is_called() {
    let cases = [
        ("petstore-1.0.0.yaml", "petstore-1-0-0"),
        ("My API.json", "my-api"),
        ("2fa.yaml", "api-2fa"),
        ("Überweisung v2.yml", "uberweisung-v2"),
    ];
    for (file_name, base) in cases {
        let dir = tempfile::tempdir().unwrap();
        let spec = write_spec(dir.path(), file_name);
        let out = dir.path().join("out");
        generate(&spec, &out).assert().code(0);
        assert_eq!(
            entries(&out),
            [format!("{base}-client"), format!("{base}-validator")],
            "{file_name}"
        );
        for kind in ["validator", "client"] {
            let crate_dir = out.join(format!("{base}-{kind}"));
            assert_eq!(package_name(&crate_dir), format!("{base}-{kind}"));
        }
        // The client names its validator crate by the same base, as a path dependency.
        let client =
            std::fs::read_to_string(out.join(format!("{base}-client/Cargo.toml"))).unwrap();
        assert!(
            client.contains(&format!("path = \"../{base}-validator\"")),
            "{client}"
        );
    }
}

#[test]
fn name_sets_the_crate_base_name() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), "petstore-1.0.0.yaml");
    let out = dir.path().join("out");
    generate(&spec, &out)
        .args(["--name", "pets"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("pets-validator"));
    assert_eq!(entries(&out), ["pets-client", "pets-validator"]);
    assert_eq!(package_name(&out.join("pets-validator")), "pets-validator");
}

#[test]
fn a_bad_name_is_a_usage_error_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), "pets.yaml");
    let out = dir.path().join("out");
    generate(&spec, &out)
        .args(["--name", "My Pets"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "`My Pets` is not a crate base name",
        ))
        .stderr(predicate::str::contains("`my-pets`"));
    let other = write_spec(dir.path(), "more.yaml");
    generate(&spec, &out)
        .args(["--spec", &other, "--name", "pets"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("give exactly one --spec"));
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}

#[test]
fn specs_that_would_share_crate_names_are_refused_before_writing() {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("specs");
    std::fs::create_dir(&specs).unwrap();
    write_spec(&specs, "pets.v1.yaml");
    write_spec(&specs, "pets-v1.yaml");
    let out = dir.path().join("out");
    contract()
        .args(["generate", "--specs-dir"])
        .arg(&specs)
        .arg("--out")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "both give crates named `pets-v1-*`",
        ));
    assert!(entries(&out).is_empty(), "{:?}", entries(&out));
}

#[test]
fn diagnostics_are_warnings_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), "pets.yaml");
    let out = dir.path().join("out");
    let output = generate(&spec, &out).assert().code(0).get_output().clone();
    let stderr = String::from_utf8(output.stderr).unwrap();
    // One line per diagnostic, `file: #pointer: message`, printed once for the spec.
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    assert!(
        warnings[0].starts_with(&format!("warning: pets.yaml: {DIAGNOSTIC_AT}")),
        "{stderr}"
    );
    assert_eq!(entries(&out), ["pets-client", "pets-validator"]);
}

#[test]
fn strict_turns_diagnostics_into_errors_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), "pets.yaml");
    let out = dir.path().join("out");
    generate(&spec, &out)
        .arg("--strict")
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "error: pets.yaml: {DIAGNOSTIC_AT}"
        )))
        .stderr(predicate::str::contains(
            "1 diagnostic(s) with --strict; nothing was written",
        ));
    assert!(!out.exists(), "{:?}", entries(&out));
    // A spec without diagnostics generates under --strict as usual.
    let clean = dir.path().join("clean.yaml");
    let text = SPEC_WITH_A_DIAGNOSTIC.replace("text/csv", "application/json");
    std::fs::write(&clean, text).unwrap();
    generate(clean.to_str().unwrap(), &out)
        .arg("--strict")
        .assert()
        .code(0)
        .stderr(predicate::str::contains("warning").not());
    assert_eq!(entries(&out), ["clean-client", "clean-validator"]);
}
