//! The dev corpus (`tests/fixtures/dev-corpus/`, real public OpenAPI 3.0 specs) through the
//! generator: every spec generates, and the small specs' crates `cargo check`.
//!
//! - `every_spec_generates`: each spec goes through `contract generate` (library API, validator
//!   and client crates) into a temporary folder. It must finish without a panic or an error;
//!   diagnostics are allowed and listed. The specs in `GENERATE_XFAIL` are known not to generate
//!   yet and must still fail (a fixed spec fails the test until it leaves the list).
//! - `small_specs_crates_check`: the crates of the specs under 100 KB are written into a Cargo
//!   workspace outside the repository and `cargo check`ed there one by one (a nested cargo, with
//!   the repository's `Cargo.lock` and a target folder shared from run to run,
//!   `target/dev-corpus/`). The crates in `CHECK_XFAIL` must still fail.
//!
//! Speed and size on the whole corpus are measured by `scripts/sweep-dev-corpus.py`, not here.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::process::Command;

use conformance::repo_root;
use contract::codegen::generate::Settings;

/// Specs known not to generate yet: (spec, why). Each must still fail. Every reason is a spec
/// defect or construct that should become a diagnostic (issue 9, "Any real spec").
const GENERATE_XFAIL: &[(&str, &str)] = &[];

/// Generated crates of the small specs known not to `cargo check` yet: (crate, why). Each must
/// still fail.
const CHECK_XFAIL: &[(&str, &str)] = &[];

/// The specs whose crates are checked: the corpus's specs under 100 KB (mastercard is 104 KB
/// and checks in seconds, so it is in too).
const SMALL_SPECS: &[&str] = &[
    "bian-card-transaction-tracking.yaml",
    "mastercard-issuing-card-management.yml",
    "sahamati-central-registry-api.yaml",
    "vipps-access-token-api.yaml",
];

fn corpus() -> PathBuf {
    repo_root().join("tests/fixtures/dev-corpus")
}

/// Every spec of the corpus, by its path under the corpus folder: each top-level document and
/// the entry point of the split DigitalOcean spec.
fn corpus_specs() -> Vec<String> {
    let mut specs: Vec<String> = std::fs::read_dir(corpus())
        .expect("reading the dev corpus")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| {
            [".yaml", ".yml", ".json"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect();
    specs.push("digitalocean/DigitalOcean-public.v2.yaml".to_owned());
    specs.sort();
    specs
}

/// What generating one spec gave.
#[derive(Debug)]
enum Outcome {
    /// Generated; the crates' names and the diagnostics, `#pointer: message`.
    Generated {
        crates: Vec<String>,
        diagnostics: Vec<String>,
    },
    Failed(String),
    Panicked(String),
}

fn generate(spec: &Path, out: &Path) -> Outcome {
    let run = catch_unwind(AssertUnwindSafe(|| {
        Settings::new().spec(spec).out_dir(out).run()
    }));
    match run {
        Ok(Ok(report)) => Outcome::Generated {
            crates: report.crates.iter().map(|c| c.name.clone()).collect(),
            diagnostics: report
                .diagnostics
                .iter()
                .map(|d| format!("#{}: {}", d.pointer, d.message))
                .collect(),
        },
        Ok(Err(error)) => Outcome::Failed(error.to_string()),
        Err(panic) => Outcome::Panicked(
            panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
                .unwrap_or_default(),
        ),
    }
}

#[test]
fn every_spec_generates() {
    let temp = tempfile::tempdir().expect("a temporary folder");
    let specs = corpus_specs();
    assert_eq!(
        specs.len(),
        14,
        "13 single-file specs and the split DigitalOcean one"
    );
    // Large specs take a minute or more in a debug build: one worker per core.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = std::thread::available_parallelism().map_or(2, usize::from);
    let outcomes: BTreeMap<String, Outcome> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(spec) = specs.get(index) else {
                            return done;
                        };
                        let out = temp.path().join(spec.replace('/', "_"));
                        done.push((spec.clone(), generate(&corpus().join(spec), &out)));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| {
                handle
                    .join()
                    .expect("a worker (panics are caught per spec)")
            })
            .collect()
    });
    let mut report = String::new();
    let mut unexpected = Vec::new();
    for (spec, outcome) in &outcomes {
        let xfail = GENERATE_XFAIL.iter().find(|(name, _)| name == spec);
        match (outcome, xfail) {
            (
                Outcome::Generated {
                    crates,
                    diagnostics,
                },
                None,
            ) => {
                report += &format!(
                    "{spec}: {} with {} diagnostics\n",
                    crates.join(", "),
                    diagnostics.len()
                );
                for diagnostic in diagnostics.iter().take(10) {
                    report += &format!("    {diagnostic}\n");
                }
                if diagnostics.len() > 10 {
                    report += &format!("    ... {} more\n", diagnostics.len() - 10);
                }
                assert_eq!(crates.len(), 2, "{spec}: a validator and a client crate");
            }
            (Outcome::Generated { .. }, Some((_, why))) => unexpected.push(format!(
                "{spec} generates now; remove it from GENERATE_XFAIL (it said: {why})"
            )),
            (Outcome::Failed(error) | Outcome::Panicked(error), Some((_, why))) => {
                report += &format!("{spec}: xfail ({why}): {error}\n");
            }
            (Outcome::Failed(error), None) => {
                unexpected.push(format!("{spec}: generation failed: {error}"));
            }
            (Outcome::Panicked(message), None) => {
                unexpected.push(format!("{spec}: generation panicked: {message}"));
            }
        }
    }
    // Every xfail names a corpus spec, so a renamed or removed spec does not hide in the list.
    for (name, _) in GENERATE_XFAIL {
        assert!(
            outcomes.contains_key(*name),
            "GENERATE_XFAIL names {name}, which is not a corpus spec"
        );
    }
    eprintln!("{report}");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n"));
}

#[test]
fn small_specs_crates_check() {
    let temp = tempfile::Builder::new()
        .prefix("dev-corpus-")
        .tempdir()
        .expect("a temporary folder");
    let work = temp.path();
    assert!(
        !work.starts_with(repo_root()),
        "the temporary folder must be outside the repository"
    );
    let mut crates = Vec::new();
    for spec in SMALL_SPECS {
        let path = corpus().join(spec);
        let size = std::fs::metadata(&path).expect("a corpus spec").len();
        assert!(
            size < 120 * 1024,
            "{spec} is {size} bytes: not a small spec"
        );
        match generate(&path, work) {
            Outcome::Generated { crates: made, .. } => crates.extend(made),
            other => panic!("{spec} does not generate: {other:?}"),
        }
    }
    let members: Vec<String> = crates.iter().map(|name| format!("{name:?}")).collect();
    std::fs::write(
        work.join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    )
    .unwrap();
    // The repository's versions, so that nothing new is resolved (or, once built, downloaded).
    std::fs::copy(repo_root().join("Cargo.lock"), work.join("Cargo.lock")).unwrap();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let mut unexpected = Vec::new();
    let mut report = String::new();
    for name in &crates {
        // A validator crate is checked with its `schemars` feature (the derives and their
        // attributes); its client checks it again without, as users get it by default.
        let features: &[&str] = if name.ends_with("-validator") {
            &["--features", "schemars"]
        } else {
            &[]
        };
        let output = Command::new(&cargo)
            .args(["check", "--quiet", "--message-format=short", "-p", name])
            .args(features)
            .current_dir(work)
            .env("CARGO_TARGET_DIR", repo_root().join("target/dev-corpus"))
            .env_remove("RUSTFLAGS")
            .output()
            .expect("running cargo");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|line| line.contains(": error") || line.starts_with("error"))
            .collect();
        let xfail = CHECK_XFAIL
            .iter()
            .find(|(crate_name, _)| crate_name == name);
        match (output.status.success(), xfail) {
            (true, None) => report += &format!("{name}: checks\n"),
            (true, Some((_, why))) => unexpected.push(format!(
                "{name} checks now; remove it from CHECK_XFAIL (it said: {why})"
            )),
            (false, Some((_, why))) => {
                report += &format!("{name}: xfail ({why}): {} errors\n", errors.len());
            }
            (false, None) => unexpected.push(format!(
                "`cargo check -p {name}` failed with {} errors:\n{}",
                errors.len(),
                errors
                    .iter()
                    .take(20)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("\n")
            )),
        }
    }
    for (name, _) in CHECK_XFAIL {
        assert!(
            crates.iter().any(|made| made == name),
            "CHECK_XFAIL names {name}, which no small spec generates"
        );
    }
    eprintln!("{report}");
    assert!(unexpected.is_empty(), "{}", unexpected.join("\n\n"));
}
