//! `contract validate --har` as the binary runs it, on a small hand-written archive: one result
//! line per entry, skipped hosts listed, exit 1 on a failing entry, no secret in the output.
//! (The recorded-traffic tests are in `tests/tests/har.rs`.)

use assert_cmd::Command;
use predicates::prelude::*;

#[test]
fn the_binary_checks_every_entry_and_prints_no_secret() {
    let dir = tempfile::tempdir().unwrap();
    let har = dir.path().join("t.har");
    let good = r#"{"request": {"method": "POST", "url": "https://api.up2.money/cards/activate/123",
        "headers": [{"name": "x-secret", "value": "canary-h1"},
                    {"name": "Authorization-key", "value": "canary-h2"}],
        "postData": {"mimeType": "application/json", "text": "{\"activationCode\": \"918273\"}"}},
      "response": {"status": 404, "content": {"mimeType": "", "text": ""}}}"#;
    let bad = r#"{"request": {"method": "POST",
        "url": "https://sandboxapi.up2.money/cards/activate/123?key=canary-q",
        "headers": [{"name": "x-secret", "value": "canary-h1"}],
        "postData": {"mimeType": "application/json", "text": "{\"activationCode\": \"canary-c\"}"}},
      "response": {"status": 200, "content": {"mimeType": "application/json", "text": "e30=",
        "encoding": "base64"}}}"#;
    let other = r#"{"request": {"method": "GET", "url": "https://example.com/?x=canary-o"},
      "response": {"status": 200}}"#;
    std::fs::write(
        &har,
        format!(r#"{{"log": {{"version": "1.2", "entries": [{good}, {bad}, {other}]}}}}"#),
    )
    .unwrap();
    let spec = format!("{}/../specs/upmoney.yaml", env!("CARGO_MANIFEST_DIR"));
    for format in ["human", "json"] {
        Command::cargo_bin("contract")
            .unwrap()
            .args(["validate", "--har"])
            .arg(&har)
            .args(["--spec", &spec, "--format", format])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("canary").not())
            .stdout(predicate::str::contains("activationCode"))
            .stdout(predicate::str::contains("authorization-key"))
            .stdout(predicate::str::contains(
                "https://sandboxapi.up2.money/cards/activate/123?key=…",
            ));
    }
    Command::cargo_bin("contract")
        .unwrap()
        .args(["validate", "--har"])
        .arg(&har)
        .args(["--spec", &spec])
        .assert()
        .stdout(predicate::str::contains(
            "3 entries: 1 conform, 1 fail, 1 skipped",
        ));
}
