//! Client crates for specs whose names are not Rust identifiers, checked by `cargo check` in a
//! folder outside the repository.
//!
//! `generate_anywhere/hostile.yaml` names properties, parameters, headers, operations, schemes,
//! server variables, enum values and schemas with keywords (`type`, `self`, `Self`, `crate`,
//! `try`, `gen`, ...), leading digits, punctuation (`$filter`, `page[size]`,
//! `x-fapi-interaction-id`), non-ASCII letters, names that collide once made identifiers, and
//! names of the client's own methods (`send`, `retry`, `new`). `undefined-security.yaml` has
//! operations whose `security` names a scheme the spec never defines. The generated client
//! must compile without a warning of its own, with the names asserted below.
//!
//! Builds go to `target/generate-anywhere/` (shared with `generate_anywhere.rs`), with the
//! repository's `Cargo.lock`, so compiled dependencies are reused from run to run.

use std::path::Path;
use std::process::Command;

use conformance::repo_root;
use contract::codegen::generate::Settings;

/// Specs that generation still refuses: (file, why). An entry that generates fails this test
/// until it is removed.
const XFAIL: &[(&str, &str)] = &[];

/// Lines the hostile client must contain: the names it gives.
const HOSTILE_NAMES: &[&str] = &[
    // Keywords: raw where Rust allows it, suffixed where it does not.
    "pub fn r#type(&self, r#ref: impl Into<String>, r#match: i64) -> TypeCall<'_>",
    "pub fn self_(mut self, value: impl Into<String>) -> Self",
    "pub fn self_2(mut self, value: impl Into<String>) -> Self",
    "pub fn crate_(mut self, value: bool) -> Self",
    "pub fn super_(mut self, value: f64) -> Self",
    "pub fn r#async(mut self, value: impl Into<String>) -> Self",
    "pub fn r#gen(mut self, value: impl Into<String>) -> Self",
    "pub fn r#try(mut self, value: impl Into<String>) -> Self",
    // A backreference pattern, checked through the validator's matcher.
    "pub fn twice(mut self, value: impl Into<String>) -> Self",
    "request.check(!crate::validator::checks::pattern_",
    "request.check(crate::validator::checks::shorter_than(value, 2)",
    // Punctuation and digits.
    "pub fn filter(mut self, value: impl Into<String>) -> Self",
    "pub fn page_size(mut self, value: i64) -> Self",
    "pub fn page_size2(mut self, value: i64) -> Self",
    "pub fn n1st(mut self, value: impl Into<String>) -> Self",
    "pub fn x_fapi_interaction_id(mut self, value: impl Into<String>) -> Self",
    "pub fn n2fa_verify(&self, self_: i64, body: models::N1st) -> N2faVerifyCall<'_>",
    // The call's own methods and the client's are not taken by parameters or operations.
    "pub fn send2(mut self, value: impl Into<String>) -> Self",
    "pub fn retry2(mut self, value: impl Into<String>) -> Self",
    "pub fn new2(&self) -> NewCall<'_>",
    // Collisions are resolved where they happen.
    "pub fn get_item(&self) -> GetItemCall<'_>",
    "pub fn get_item2(&self) -> GetItem2Call<'_>",
    // Schemes and server variables.
    "const SELF_: Scheme = Scheme::header(|c| c.self_.as_ref(), \"Authorization\", \"Bearer \");",
    "const TYPE: Scheme = Scheme::query(|c| c.r#type.as_ref(), \"type\");",
    "pub fn self_type(self_: impl Into<String>, r#type: impl Into<String>) -> Server",
];

#[test]
fn clients_for_hostile_names_compile() {
    let temp = tempfile::Builder::new()
        .prefix("hostile-names-")
        .tempdir()
        .expect("a temporary folder");
    let work = temp.path();
    let fixtures = repo_root().join("tests/tests/generate_anywhere");
    let mut members = Vec::new();
    let mut diagnostics: Vec<String> = Vec::new();
    for spec in ["hostile.yaml", "undefined-security.yaml"] {
        let xfail = XFAIL.iter().find(|(file, _)| *file == spec);
        match (
            Settings::new()
                .spec(fixtures.join(spec))
                .out_dir(work)
                .run(),
            xfail,
        ) {
            (Ok(report), None) => {
                members.extend(report.crates.iter().map(|c| format!("{:?}", c.name)));
                diagnostics.extend(report.diagnostics.iter().map(ToString::to_string));
            }
            (Err(_), Some(_)) => {}
            (Ok(_), Some((_, why))) => {
                panic!("{spec} generates now: remove it from XFAIL ({why})")
            }
            (Err(error), None) => panic!("{spec}: generation failed: {error}"),
        }
    }
    let client = std::fs::read_to_string(work.join("hostile-client/src/client.rs"))
        .expect("the hostile client");
    for name in HOSTILE_NAMES {
        assert!(client.contains(name), "missing {name:?} in:\n{client}");
    }
    if !XFAIL
        .iter()
        .any(|(file, _)| *file == "undefined-security.yaml")
    {
        let client = std::fs::read_to_string(work.join("undefined-security-client/src/client.rs"))
            .expect("the undefined-security client");
        assert!(
            client.contains("Security::new(&[&[]], \"\")"),
            "an undefined scheme alone asks for nothing:\n{client}"
        );
        assert!(
            client.contains("Security::new(&[&[Credentials::KEY]], \"X-Key\")"),
            "an undefined scheme beside a defined one is left out:\n{client}"
        );
        // The contract drops the undefined scheme from the requirements and says so.
        assert!(
            diagnostics
                .iter()
                .any(|line| line.contains("undefined-security.yaml") && line.contains("ghost")),
            "the undefined scheme is reported: {diagnostics:#?}"
        );
    }
    cargo_check(work, &members);
}

/// `cargo check` of every generated crate (examples included) in a workspace at `work`; the
/// client crates must not warn.
fn cargo_check(work: &Path, members: &[String]) {
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .expect("writing the workspace");
    std::fs::copy(repo_root().join("Cargo.lock"), work.join("Cargo.lock"))
        .expect("copying Cargo.lock");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args([
            "check",
            "--quiet",
            "--workspace",
            "--all-targets",
            "--all-features",
        ])
        .current_dir(work)
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generate-anywhere"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("running cargo");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo check` in {} failed:\n{stderr}",
        work.display()
    );
    // Every diagnostic points at its file (`--> hostile-client/src/client.rs:12:5`).
    for line in stderr.lines() {
        assert!(
            !(line.trim_start().starts_with("--> ") && line.contains("-client/")),
            "a client crate warns:\n{stderr}"
        );
    }
}
