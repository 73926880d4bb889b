//! `contract diff` and `contract changelog` run as a user runs them: every fixture pair under
//! `tests/fixtures/diff/` (expected id and level, and the reverse direction), our five specs
//! against themselves, `git:REF:PATH` inputs from a real temporary repository, exit codes, and
//! the changelog's structure.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/diff")
}

/// Runs `contract diff OLD NEW --format json --fail-on info`; the parsed report and exit code.
fn diff_json(old: &Path, new: &Path) -> (Value, i32) {
    let output = Command::cargo_bin("contract")
        .unwrap()
        .args(["diff", "--format", "json", "--fail-on", "info"])
        .arg(old)
        .arg(new)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|error| panic!("{old:?}: not JSON ({error}): {output:?}"));
    (report, output.status.code().unwrap())
}

fn has(report: &Value, id: &str, level: &str) -> bool {
    report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .any(|change| change["id"] == id && change["level"] == level)
}

#[test]
fn every_fixture_reports_its_check_both_ways() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 50, "only {} fixtures", dirs.len());
    let mut failures = Vec::new();
    for dir in &dirs {
        let expected = std::fs::read_to_string(dir.join("expected")).unwrap();
        let (base, revision) = (dir.join("base.yaml"), dir.join("revision.yaml"));
        let (report, code) = diff_json(&base, &revision);
        for line in expected.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            match words.as_slice() {
                ["none"] => {
                    if !report["changes"].as_array().unwrap().is_empty() || code != 0 {
                        failures.push(format!("{dir:?}: expected no changes, got {report}"));
                    }
                }
                ["reverse", id, level] => {
                    let (back, _) = diff_json(&revision, &base);
                    if !has(&back, id, level) {
                        failures.push(format!("{dir:?} reversed: no {id} {level}: {back}"));
                    }
                }
                [id, level] => {
                    if !has(&report, id, level) {
                        failures.push(format!("{dir:?}: no {id} {level}: {report}"));
                    }
                    if code != 1 {
                        failures.push(format!("{dir:?}: exit {code} with --fail-on info"));
                    }
                    // Every change is located in at least one file, with a line.
                    for change in report["changes"].as_array().unwrap() {
                        let located = ["base", "revision"]
                            .iter()
                            .any(|side| change[side]["line"].as_u64().is_some());
                        if !located {
                            failures.push(format!("{dir:?}: change without a line: {change}"));
                        }
                    }
                }
                other => panic!("{dir:?}: bad expected line {other:?}"),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn breaking_fails_by_default_and_info_does_not() {
    let dir = fixtures().join("request-property-became-required");
    Command::cargo_bin("contract")
        .unwrap()
        .arg("diff")
        .arg(dir.join("base.yaml"))
        .arg(dir.join("revision.yaml"))
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "breaking request-property-became-required POST /cards (createCard)",
        ))
        .stdout(predicates::str::contains("base.yaml:"))
        .stdout(predicates::str::contains("semver: major"));
    // The reverse is only informational: below the default --fail-on breaking.
    Command::cargo_bin("contract")
        .unwrap()
        .arg("diff")
        .arg(dir.join("revision.yaml"))
        .arg(dir.join("base.yaml"))
        .assert()
        .code(0)
        .stdout(predicates::str::contains(
            "request-property-became-optional",
        ));
}

#[test]
fn json_carries_the_shared_findings() {
    let dir = fixtures().join("response-property-removed");
    let (report, _) = diff_json(&dir.join("base.yaml"), &dir.join("revision.yaml"));
    let finding = &report["sections"][0]["findings"][0];
    assert_eq!(finding["rule"], "response-property-removed");
    assert_eq!(finding["severity"], "error");
    assert_eq!(report["semver"], "major");
}

#[test]
fn our_specs_against_themselves_have_no_changes() {
    for name in ["connectfi", "nueve09", "qitech", "undostres", "upmoney"] {
        let spec = root().join(format!("specs/{name}.yaml"));
        let (report, code) = diff_json(&spec, &spec);
        assert_eq!(report["changes"], serde_json::json!([]), "{name}");
        assert_eq!(code, 0, "{name}");
    }
}

#[test]
fn unreadable_input_exits_2() {
    Command::cargo_bin("contract")
        .unwrap()
        .args(["diff", "no/such/base.yaml", "no/such/revision.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/base.yaml"));
}

fn git(dir: &Path, args: &[&str]) {
    let status = Process::new("git")
        .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_inputs_read_the_committed_version() {
    let repo = tempfile::tempdir().unwrap();
    let fixture = fixtures().join("new-required-request-parameter");
    std::fs::copy(fixture.join("base.yaml"), repo.path().join("spec.yaml")).unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "spec.yaml"]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    std::fs::copy(fixture.join("revision.yaml"), repo.path().join("spec.yaml")).unwrap();
    let output = Command::cargo_bin("contract")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff",
            "git:HEAD:spec.yaml",
            "spec.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(has(&report, "new-required-request-parameter", "breaking"));
    assert_eq!(report["base"], "git:HEAD:spec.yaml");
    // The work tree was not touched.
    assert_eq!(
        std::fs::read_to_string(repo.path().join("spec.yaml")).unwrap(),
        std::fs::read_to_string(fixture.join("revision.yaml")).unwrap()
    );
    Command::cargo_bin("contract")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "git:no-such-ref:spec.yaml", "spec.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no commit `no-such-ref`"));
    Command::cargo_bin("contract")
        .unwrap()
        .current_dir(repo.path())
        .args(["diff", "git:HEAD:missing.yaml", "spec.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "no file `missing.yaml` at `HEAD`",
        ));
}

#[test]
fn git_inputs_split_over_files_are_bundled_from_the_tree() {
    let repo = tempfile::tempdir().unwrap();
    let base = std::fs::read_to_string(fixtures().join("api-deprecated/base.yaml")).unwrap();
    // The same spec with its Card schema in a second file.
    let document: Value = serde_yaml::from_str(&base).unwrap();
    let card = document["components"]["schemas"]["Card"].clone();
    let main = base.replace("#/components/schemas/Card'", "card.yaml'");
    std::fs::write(repo.path().join("spec.yaml"), &main).unwrap();
    std::fs::write(
        repo.path().join("card.yaml"),
        serde_yaml::to_string(&card).unwrap(),
    )
    .unwrap();
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "split"]);
    let mut card_changed = card.clone();
    card_changed["required"] = serde_json::json!(["id"]);
    std::fs::write(
        repo.path().join("card.yaml"),
        serde_yaml::to_string(&card_changed).unwrap(),
    )
    .unwrap();
    let output = Command::cargo_bin("contract")
        .unwrap()
        .current_dir(repo.path())
        .args([
            "diff",
            "git:HEAD:spec.yaml",
            "spec.yaml",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(
        has(&report, "response-property-became-optional", "breaking"),
        "{report}"
    );
}

#[test]
fn changelog_puts_semver_and_breaking_changes_first() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = fixtures().join("response-success-status-removed");
    // Breaking (status removed) plus info (a new optional parameter) in one revision.
    let revision = std::fs::read_to_string(fixture.join("revision.yaml")).unwrap();
    let mut document: Value = serde_yaml::from_str(&revision).unwrap();
    document["paths"]["/cards/{id}"]["get"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(
            serde_json::json!({ "name": "fields", "in": "query", "schema": { "type": "string" } }),
        );
    let path = dir.path().join("revision.yaml");
    std::fs::write(&path, serde_yaml::to_string(&document).unwrap()).unwrap();
    let output = Command::cargo_bin("contract")
        .unwrap()
        .arg("changelog")
        .arg(fixture.join("base.yaml"))
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let text = String::from_utf8(output.stdout).unwrap();
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"))
    };
    assert!(at("**Semver: major**") < at("## Breaking changes"));
    assert!(at("## Breaking changes") < at("## Warnings"));
    assert!(at("## Warnings") < at("## Additions and other changes"));
    assert!(at("### `GET /cards/{id} (getCard)`") < at("(`response-success-status-removed`)"));
    assert!(text.contains("Stop relying on this success status."));

    let output = Command::cargo_bin("contract")
        .unwrap()
        .args(["changelog", "--format", "json"])
        .arg(fixture.join("base.yaml"))
        .arg(&path)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["semver"], "major");
    assert_eq!(report["sections"][0]["level"], "breaking");
    assert_eq!(
        report["sections"][0]["operations"][0]["changes"][0]["id"],
        "response-success-status-removed"
    );
}
