//! `contract check` as CI runs it, in a copy of the repository's up.money files (spec, samples,
//! generated crates) in a temporary folder: clean passes with exit 0; a stale generated file,
//! an unlisted sample, a wrong verdict and a failing HAR entry each fail with their finding;
//! `--fail-on` decides the exit code; a bad config exits 2.

mod common;

use common::git;

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// A temporary checkout with the up.money spec, its samples and its generated crates.
fn checkout() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    for part in [
        "specs/upmoney.yaml",
        "specs/README.md",
        "specs/samples/upmoney",
        "generated/upmoney-validator/src",
        "generated/upmoney-validator/Cargo.toml",
        "generated/upmoney-client/src",
        "generated/upmoney-client/examples",
        "generated/upmoney-client/Cargo.toml",
    ] {
        let to = dir.path().join(part);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        copy(&repo.join(part), &to);
    }
    dir
}

/// The up.money spec publishes no contact, as the repository's own contract.toml accepts.
const LINT: &str = "[lint.rules]\ninfo-contact = 'off'\n";

fn config(dir: &Path, check: &str) {
    std::fs::write(dir.join("contract.toml"), format!("{check}{LINT}")).unwrap();
}

fn check(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("contract")
        .unwrap()
        .current_dir(dir)
        .arg("check")
        .args(args)
        .assert()
}

#[test]
fn a_clean_checkout_passes_and_each_break_is_found() {
    let dir = checkout();
    let root = dir.path();
    config(root, "");
    check(root, &[])
        .code(0)
        .stdout(predicate::str::contains("ok    lint specs/upmoney.yaml"))
        .stdout(predicate::str::contains(
            "ok    fresh generated/upmoney-client",
        ))
        .stdout(predicate::str::contains(
            "ok    samples specs/samples/upmoney/manifest.yaml",
        ));

    // A hand edit of a generated file, and a file the generator does not make.
    let lib = root.join("generated/upmoney-validator/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}\n// edited\n")).unwrap();
    std::fs::write(root.join("generated/upmoney-client/src/extra.rs"), "").unwrap();
    // A sample on disk that the manifest does not list.
    std::fs::write(
        root.join("specs/samples/upmoney/negative/unlisted.json"),
        "{}",
    )
    .unwrap();
    // A HAR file, named by the config, with a failing entry.
    std::fs::write(
        root.join("t.har"),
        r#"{"log": {"entries": [{"request": {"method": "POST",
            "url": "https://api.up2.money/cards/activate/abc", "headers": []},
            "response": {"status": 401, "content": {"text": ""}}}]}}"#,
    )
    .unwrap();
    config(root, "[check]\nhar = ['t.har']\n");
    let assert = check(root, &["--format", "json"]).code(1);
    let output: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON output");
    let mut rules: Vec<(String, String)> = output["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| {
            let part = section["part"].as_str().unwrap().to_owned();
            section["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |finding| (part.clone(), finding["rule"].as_str().unwrap().to_owned()))
        })
        .collect();
    rules.sort();
    let expected = [
        ("fresh", "fresh-differs"),
        ("fresh", "fresh-stale"),
        ("har", "pattern"),
        ("har", "required"),
        ("har", "security"),
        ("har", "security"),
        ("samples", "sample-unlisted"),
    ];
    assert_eq!(
        rules,
        expected.map(|(a, b)| (a.to_owned(), b.to_owned())),
        "{output:#}"
    );
}

#[test]
fn fail_on_and_bad_configs() {
    let dir = checkout();
    let root = dir.path();
    // A skipped HAR entry is an info finding: it fails only with --fail-on info.
    std::fs::write(
        root.join("t.har"),
        r#"{"log": {"entries": [{"request": {"method": "GET", "url": "https://elsewhere.example/"},
            "response": {"status": 200}}]}}"#,
    )
    .unwrap();
    config(
        root,
        "[check]\nspecs = ['specs/upmoney.yaml']\nhar = ['t.har']\n",
    );
    check(root, &[]).code(0);
    check(root, &["--fail-on", "info"]).code(1);
    check(root, &["--fail-on", "fatal"])
        .code(2)
        .stderr(predicate::str::contains("--fail-on"));
    std::fs::write(root.join("contract.toml"), "[check]\nhars = []\n").unwrap();
    check(root, &[])
        .code(2)
        .stderr(predicate::str::contains("contract.toml").and(predicate::str::contains("hars")));
    std::fs::write(
        root.join("contract.toml"),
        "[check]\nspecs = ['specs/none.yaml']\n",
    )
    .unwrap();
    check(root, &[]).code(2);
}

/// Each finding of the diff part: (rule, severity).
fn diff_findings(root: &Path, args: &[&str]) -> Vec<(String, String)> {
    let assert = check(root, args);
    let output: serde_json::Value =
        serde_json::from_slice(&assert.get_output().stdout).expect("JSON output");
    output["sections"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|section| section["part"] == "diff")
        .flat_map(|section| section["findings"].as_array().unwrap().clone())
        .map(|finding| {
            (
                finding["rule"].as_str().unwrap().to_owned(),
                finding["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_breaking_change_needs_a_major_version_bump() {
    let dir = checkout();
    let root = dir.path();
    config(root, "");
    git(root, &["init", "-q"]);
    git(root, &["add", "-A"]);
    git(root, &["commit", "-q", "-m", "base"]);
    // Unchanged against the base: the diff part is clean and the check passes.
    check(root, &["--base", "HEAD"]).code(0);
    assert_eq!(
        diff_findings(root, &["--base", "HEAD", "--format", "json"]),
        []
    );

    // A tightened request constraint breaks every client that sends a 6-digit code.
    let spec = root.join("specs/upmoney.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let tightened = text.replacen("          maxLength: 6\n", "          maxLength: 4\n", 1);
    assert_ne!(text, tightened);
    std::fs::write(&spec, &tightened).unwrap();
    let found = diff_findings(root, &["--base", "HEAD", "--format", "json"]);
    assert!(
        found.contains(&("version-bump".to_owned(), "error".to_owned())),
        "{found:?}"
    );
    assert!(
        found
            .iter()
            .any(|(rule, severity)| rule.contains("max-length") && severity == "error"),
        "{found:?}"
    );
    check(root, &["--base", "HEAD", "--format", "sarif"]).code(1);

    // A minor bump is not enough; a major one declares the break.
    std::fs::write(
        &spec,
        tightened.replacen("version: 1.0.0", "version: 1.1.0", 1),
    )
    .unwrap();
    let found = diff_findings(root, &["--base", "HEAD", "--format", "json"]);
    assert!(
        found.contains(&("version-bump".to_owned(), "error".to_owned())),
        "{found:?}"
    );
    std::fs::write(
        &spec,
        tightened.replacen("version: 1.0.0", "version: 2.0.0", 1),
    )
    .unwrap();
    let found = diff_findings(root, &["--base", "HEAD", "--format", "json"]);
    assert!(!found.is_empty(), "the break is still reported");
    assert!(
        found
            .iter()
            .all(|(rule, severity)| rule != "version-bump" && severity != "error"),
        "{found:?}"
    );

    // A spec the base does not have is reported as new, not as an error.
    std::fs::copy(&spec, root.join("specs/upmoney2.yaml")).unwrap();
    config(
        root,
        "[check]\nspecs = ['specs/upmoney2.yaml']\nlint = false\n",
    );
    assert_eq!(
        diff_findings(root, &["--base", "HEAD", "--format", "json"]),
        [("spec-added".to_owned(), "info".to_owned())]
    );
    // An unknown base could not be checked: exit 2.
    check(root, &["--base", "no-such-ref"]).code(2);
}
