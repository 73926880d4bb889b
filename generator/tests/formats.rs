//! Every CI verb (`lint`, `diff`, `validate`, `validate --har`, `check`) takes the same
//! `--format human|json|sarif|junit|github`, and each output parses back: JSON by serde, SARIF
//! against the official 2.1.0 schema, JUnit by an XML parser, GitHub annotations by their
//! workflow-command shape. Failing and could-not-check runs both, since CI reads both.

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn spec() -> String {
    repo().join("specs/upmoney.yaml").display().to_string()
}

/// Runs `contract ARGS --format FORMAT` in `dir`: (exit code, stdout).
fn run(dir: &Path, args: &[String], format: &str) -> (i32, String) {
    let output = Command::cargo_bin("contract")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .args(["--format", format])
        .output()
        .unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
    )
}

/// The verbs, each on an input that fails (exit 1) and one that cannot be checked (exit 2).
fn cases(dir: &Path) -> Vec<(&'static str, Vec<String>, i32)> {
    let strings = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    std::fs::write(dir.join("bad-code.json"), r#"{"activationCode": "12x"}"#).unwrap();
    std::fs::write(
        dir.join("t.har"),
        r#"{"log": {"entries": [{"request": {"method": "POST",
            "url": "https://api.up2.money/cards/activate/abc", "headers": []},
            "response": {"status": 401, "content": {"text": ""}}}]}}"#,
    )
    .unwrap();
    let upmoney = std::fs::read_to_string(spec()).unwrap();
    let tightened = upmoney.replacen("          maxLength: 6\n", "          maxLength: 4\n", 1);
    assert_ne!(upmoney, tightened);
    std::fs::write(dir.join("new.yaml"), tightened).unwrap();
    std::fs::write(dir.join("contract.toml"), "[check]\nspecs = ['new.yaml']\n").unwrap();
    let spec = spec();
    vec![
        ("lint", strings(&["lint", &spec, "--fail-on", "warn"]), 1),
        ("lint", strings(&["lint", "missing.yaml"]), 2),
        ("diff", strings(&["diff", &spec, "new.yaml"]), 1),
        ("diff", strings(&["diff", &spec, "missing.yaml"]), 2),
        (
            "validate",
            strings(&[
                "validate",
                "--spec",
                &spec,
                "--method",
                "POST",
                "--path",
                "/cards/activate/123",
                "--request",
                "bad-code.json",
            ]),
            1,
        ),
        (
            "validate",
            strings(&[
                "validate",
                "--spec",
                &spec,
                "--method",
                "POST",
                "--path",
                "/nowhere",
                "--request",
                "bad-code.json",
            ]),
            2,
        ),
        (
            "har",
            strings(&["validate", "--har", "t.har", "--spec", &spec]),
            1,
        ),
        (
            "har",
            strings(&["validate", "--har", "missing.har", "--spec", &spec]),
            2,
        ),
        // new.yaml has no samples and no generated crates here: lint (no README → the
        // extension rule cannot read its table) fails it.
        ("check", strings(&["check", "--fail-on", "warn"]), 1),
        ("check", strings(&["check", "--config", "missing.toml"]), 2),
        (
            "lint",
            strings(&["lint", "--config", "missing.toml", &spec]),
            2,
        ),
    ]
}

#[test]
fn every_verb_speaks_every_format() {
    let dir = tempfile::tempdir().unwrap();
    for (verb, args, code) in cases(dir.path()) {
        let context = format!("{verb} {args:?}");
        for format in ["human", "json", "sarif", "junit", "github"] {
            let (got, out) = run(dir.path(), &args, format);
            assert_eq!(got, code, "{context} --format {format}:\n{out}");
            if code == 2 && format == "human" {
                // Human errors go to stderr (a config that cannot be read included); every
                // machine format still gets its document, checked below.
                continue;
            }
            if args.contains(&"missing.toml".to_owned()) {
                assert!(
                    out.contains("missing.toml"),
                    "{context} --format {format}: the document names the config\n{out}"
                );
            }
            match format {
                "json" => {
                    let value: Value = serde_json::from_str(&out)
                        .unwrap_or_else(|e| panic!("{context}: {e}\n{out}"));
                    assert!(value.is_object(), "{context}: {out}");
                }
                "sarif" => {
                    let log = common::valid_sarif(&out);
                    let run = &log["runs"][0];
                    if code == 1 {
                        assert!(
                            !run["results"].as_array().unwrap().is_empty(),
                            "{context}: a failing run has results\n{out}"
                        );
                    } else {
                        assert_eq!(
                            run["invocations"][0]["executionSuccessful"], false,
                            "{context}: {out}"
                        );
                    }
                }
                "junit" => {
                    let junit = common::junit(&out);
                    assert!(!junit.cases.is_empty(), "{context}: {out}");
                    if code == 1 {
                        assert!(junit.failures > 0, "{context}: {out}");
                    } else {
                        assert!(junit.errors > 0, "{context}: {out}");
                    }
                }
                "github" => {
                    assert!(!out.trim().is_empty(), "{context}: no annotation");
                    for line in out.lines() {
                        assert!(
                            ["::error ", "::warning ", "::notice "]
                                .iter()
                                .any(|start| line.starts_with(start))
                                && line.contains("::"),
                            "{context}: not a workflow command: {line}"
                        );
                    }
                }
                _ => assert!(!out.trim().is_empty(), "{context}: empty human output"),
            }
        }
    }
}

#[test]
fn secrets_stay_out_of_every_format() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("canary.json"),
        r#"{"activationCode": "canary-secret-1234567"}"#,
    )
    .unwrap();
    let args: Vec<String> = [
        "validate",
        "--spec",
        &spec(),
        "--method",
        "POST",
        "--path",
        "/cards/activate/123",
        "--request",
        "canary.json",
        "--header",
        "x-secret: canary-header",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for format in ["human", "json", "sarif", "junit", "github"] {
        let (code, out) = run(dir.path(), &args, format);
        assert_eq!(code, 1, "{out}");
        assert!(!out.contains("canary"), "--format {format} leaked:\n{out}");
    }
}
