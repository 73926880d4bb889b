//! `contract generate` on specs that are not ours, into a folder outside the repository, and the
//! crates it writes compiled and tested there.
//!
//! Three specs are generated with the library API into a temporary folder:
//! - `tests/fixtures/specs/zoo.yaml`, a third-party-style spec (composition, discriminators,
//!   recursion, maps, form and binary bodies; see `tests/fixtures/specs/README.md`);
//! - `tests/fixtures/specs/oddities.yaml`, valid but pathological constructs (clashing names,
//!   self-containing types, schemas that apply themselves to the same value);
//! - a spec this test builds from the JSON Schema Test Suite (draft 4): every case whose schema
//!   fits OpenAPI 3.0 becomes a component (`conformance::suite_spec`).
//!
//! The report must name the crates (each spec's validator crate, and whatever other crates the
//! generator makes for it) and locate every diagnostic in its spec. Then a Cargo workspace is
//! written beside the crates (all of them plus a `harness` crate whose tests,
//! `generate_anywhere/*.rs`, use the validators) and `cargo test --workspace` runs there as a
//! subprocess: the generated crates must build with nothing from this repository's working tree.
//! The repository's `Cargo.lock` is copied in, so the versions the repository already uses are
//! the ones built (and, once the repository has built, nothing is downloaded). The validator
//! crates must compile without warnings. Builds go to `target/generate-anywhere/`, so compiled
//! dependencies are reused from run to run.
//!
//! The suite harness records, for every suite test, `is_valid(component, data)` and
//! `validate(component, data).is_ok()`; both must equal the test's `valid` flag, except for the
//! cases in `XFAIL`, which must fail (an xfail that passes fails this test).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use conformance::{SuiteEntry, json_schema_suite_dir, repo_root, suite_spec};
use contract::codegen::generate::{CrateReport, Settings};
use contract::spec::Spec;
use serde_json::Value;

/// Suite tests the generated validators are known to get wrong: (file, case description, test
/// description, why).
const XFAIL: &[(&str, &str, &str, &str)] = &[(
    "draft4/optional/zeroTerminatedFloats.json",
    "some languages do not distinguish between different types of numeric value",
    "a float is not an integer even without fractional part",
    "Converted schemas are JSON Schema 2020-12, where 1.0 is an integer (the rule since draft 6); \
     draft 4 leaves this optional. The generated crates follow the converted schemas, as the \
     oracle does (same entry in tests/tests/json_schema_suite.rs).",
)];

/// What the zoo spec cannot be generated with yet: (pointer into the spec, words the reason
/// must contain).
const ZOO_DIAGNOSTICS: &[(&str, &str)] = &[
    (
        "/components/schemas/AnyPet/discriminator",
        "discriminator `petType` is not used",
    ),
    (
        "/components/schemas/PaymentMethod/discriminator",
        "discriminator `type` is not used",
    ),
    (
        "/components/schemas/Pet/properties/owner/nullable",
        "null is invalid here",
    ),
    (
        "/components/schemas/LedgerEntry/properties/next/nullable",
        "null is invalid here",
    ),
    (
        "/components/schemas/Payment/allOf/2/properties/payer/nullable",
        "null is invalid here",
    ),
    (
        "/paths/~1payments~1export/get/responses/200/content/text~1csv/schema",
        "is not checked",
    ),
];

/// What the oddities spec must be reported for.
const ODDITIES_DIAGNOSTICS: &[(&str, &str)] = &[
    (
        "/components/schemas/Contradiction/allOf",
        "branches of different types",
    ),
    ("/components/schemas/Either/anyOf/1", "never end"),
    ("/components/schemas/Loop", "only refers to itself"),
    ("/components/schemas/Loop", "never end"),
    (
        "/components/schemas/Mixed/allOf/1/oneOf",
        "`oneOf` inside an allOf",
    ),
    ("/components/schemas/PingA", "never end"),
    ("/components/schemas/PingA", "name it back"),
    ("/components/schemas/PingB", "name it back"),
    ("/components/schemas/PingB/allOf/0", "never end"),
    (
        "/components/schemas/SelfMerge/allOf/0",
        "reaches itself through allOf",
    ),
    ("/components/schemas/SelfMerge/allOf/0", "never end"),
];

const ZOO_HARNESS: &str = include_str!("generate_anywhere/zoo.rs");
const ODDITIES_HARNESS: &str = include_str!("generate_anywhere/oddities.rs");
const SUITE_HARNESS: &str = include_str!("generate_anywhere/suite.rs");

const SUITE_SPEC: &str = "draft4-suite.yaml";
const SUITE_CRATE: &str = "draft4-suite-validator";
const ZOO_CRATE: &str = "zoo-validator";
const ODDITIES_CRATE: &str = "oddities-validator";

#[test]
fn generated_crates_compile_and_behave_outside_the_repository() {
    let temp = tempfile::Builder::new()
        .prefix("generate-anywhere-")
        .tempdir()
        .expect("a temporary folder");
    // GENERATE_ANYWHERE_KEEP=1 leaves the folder behind, to look at or rerun by hand.
    let kept;
    let work = if std::env::var_os("GENERATE_ANYWHERE_KEEP").is_some() {
        kept = temp.keep();
        eprintln!("keeping {}", kept.display());
        kept.as_path()
    } else {
        temp.path()
    };
    assert!(
        !work.starts_with(repo_root()),
        "the temporary folder must be outside the repository"
    );

    // The suite spec: built here, written beside the crates (never committed).
    let (document, entries, not_applicable) = suite_spec(&json_schema_suite_dir());
    assert!(
        entries.len() > 300,
        "only {} suite tests fit",
        entries.len()
    );
    let suite_path = work.join(SUITE_SPEC);
    // JSON is YAML; the generator reads either.
    write(
        &suite_path,
        &serde_json::to_string_pretty(&document).unwrap(),
    );

    let zoo_path = repo_root().join("tests/fixtures/specs/zoo.yaml");
    let oddities_path = repo_root().join("tests/fixtures/specs/oddities.yaml");
    let report = Settings::new()
        .spec(&zoo_path)
        .spec(&oddities_path)
        .spec(&suite_path)
        .out_dir(work)
        .run()
        .unwrap_or_else(|error| panic!("generation failed: {error}"));
    // Each spec gives its validator crate (and whatever other crates the generator makes,
    // named after the spec too); all of them are compiled below.
    let zoo_document = Spec::load(&zoo_path).unwrap().document;
    let oddities_document = Spec::load(&oddities_path).unwrap().document;
    for generated in &report.crates {
        let (prefix, document) = match generated.spec.as_str() {
            // An absolute spec path is labelled by its file name.
            "zoo.yaml" => ("zoo-", &zoo_document),
            "oddities.yaml" => ("oddities-", &oddities_document),
            SUITE_SPEC => ("draft4-suite-", &document),
            other => panic!("{}: unexpected spec label {other:?}", generated.name),
        };
        assert!(generated.name.starts_with(prefix), "{}", generated.name);
        assert_eq!(generated.dir, work.join(&generated.name));
        check_diagnostics(generated, document);
    }
    let find = |name: &str| {
        report
            .crates
            .iter()
            .find(|c| c.name == name)
            .unwrap_or_else(|| panic!("no crate {name}"))
    };
    let (zoo, suite) = (find(ZOO_CRATE), find(SUITE_CRATE));
    expect_diagnostics(zoo, ZOO_DIAGNOSTICS);
    expect_diagnostics(find(ODDITIES_CRATE), ODDITIES_DIAGNOSTICS);
    // Every suite case that fits OpenAPI 3.0 is expressed in full.
    expect_diagnostics(suite, &[]);

    // The harness workspace: the generated crates as they were written, plus the tests.
    let members: Vec<String> = report
        .crates
        .iter()
        .map(|c| format!("{:?}", c.name))
        .chain(["\"harness\"".to_owned()])
        .collect();
    write(
        &work.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
            members.join(", ")
        ),
    );
    write(
        &work.join("harness/Cargo.toml"),
        &format!(
            "[package]\nname = \"harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dev-dependencies]\n{ZOO_CRATE} = {{ path = \"../{ZOO_CRATE}\" }}\n\
             {ODDITIES_CRATE} = {{ path = \"../{ODDITIES_CRATE}\" }}\n\
             {SUITE_CRATE} = {{ path = \"../{SUITE_CRATE}\" }}\n\
             serde = \"1\"\nserde_json = \"1\"\n"
        ),
    );
    write(
        &work.join("harness/src/lib.rs"),
        "//! Tests of crates generated outside the repository; see `tests/`.\n",
    );
    write(&work.join("harness/tests/zoo.rs"), ZOO_HARNESS);
    write(&work.join("harness/tests/oddities.rs"), ODDITIES_HARNESS);
    write(&work.join("harness/tests/suite.rs"), SUITE_HARNESS);
    write(
        &work.join("suite-cases.json"),
        &serde_json::to_string(&entries).unwrap(),
    );
    std::fs::copy(repo_root().join("Cargo.lock"), work.join("Cargo.lock"))
        .expect("copying Cargo.lock");

    let started = Instant::now();
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["test", "--quiet", "--workspace"])
        .current_dir(work)
        .env(
            "CARGO_TARGET_DIR",
            repo_root().join("target/generate-anywhere"),
        )
        .env_remove("RUSTFLAGS")
        .output()
        .expect("running cargo");
    let elapsed = started.elapsed();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "`cargo test` in {} failed ({}):\n--- stdout\n{stdout}\n--- stderr\n{stderr}",
        work.display(),
        output.status
    );
    eprintln!("nested `cargo test` took {:.1} s", elapsed.as_secs_f64());
    // Cargo closes each crate's warnings with "warning: `NAME` (TARGET) generated N warnings".
    let warned: BTreeSet<&str> = stderr
        .lines()
        .filter_map(|line| line.strip_prefix("warning: `"))
        .filter(|rest| rest.contains(" generated "))
        .filter_map(|rest| rest.split('`').next())
        .collect();
    let strict: Vec<&&str> = warned
        .iter()
        .filter(|name| name.ends_with("-validator") || **name == "harness")
        .collect();
    assert!(
        strict.is_empty(),
        "generated validator crates must compile without warnings: {strict:?}\n{stderr}"
    );
    if !warned.is_empty() {
        eprintln!("other generated crates with warnings: {warned:?}\n{stderr}");
    }

    check_suite_results(work, &entries, &not_applicable);
}

/// The diagnostics are exactly the expected ones: each (pointer, words) matched by a diagnostic
/// at that pointer whose reason says those words, and each diagnostic matching one of them.
fn expect_diagnostics(generated: &CrateReport, expected: &[(&str, &str)]) {
    let matches = |diagnostic: &contract::codegen::ir::Diagnostic,
                   (pointer, words): &(&str, &str)| {
        diagnostic.pointer == *pointer && diagnostic.message.contains(words)
    };
    for pair in expected {
        assert!(
            generated.diagnostics.iter().any(|d| matches(d, pair)),
            "{}: no diagnostic {pair:?}; got {:#?}",
            generated.name,
            generated.diagnostics
        );
    }
    for diagnostic in &generated.diagnostics {
        assert!(
            expected.iter().any(|pair| matches(diagnostic, pair)),
            "{}: unexpected diagnostic {diagnostic:?}",
            generated.name
        );
    }
}

/// Every diagnostic names a place that exists in the spec, and says why.
fn check_diagnostics(generated: &CrateReport, document: &Value) {
    for diagnostic in &generated.diagnostics {
        assert!(
            diagnostic.pointer.is_empty() || diagnostic.pointer.starts_with('/'),
            "{}: {:?} is not a JSON pointer",
            generated.name,
            diagnostic.pointer
        );
        assert!(
            document.pointer(&diagnostic.pointer).is_some(),
            "{}: {:?} is not a location in the spec ({})",
            generated.name,
            diagnostic.pointer,
            diagnostic.message
        );
        assert!(
            diagnostic.message.len() > 20,
            "{}: {:?} has no reason",
            generated.name,
            diagnostic.pointer
        );
    }
}

/// Compares what the generated suite crate answered with the suite's verdicts.
fn check_suite_results(
    work: &Path,
    entries: &[SuiteEntry],
    not_applicable: &BTreeMap<String, usize>,
) {
    let text = std::fs::read_to_string(work.join("suite-results.json"))
        .expect("the suite harness writes suite-results.json");
    // One `[is_valid, validate_ok]` per entry, in order.
    let results: Vec<(bool, bool)> = serde_json::from_str(&text).unwrap();
    assert_eq!(results.len(), entries.len(), "one result per suite test");
    let mut failures = BTreeSet::new();
    for (entry, (is_valid, validate_ok)) in entries.iter().zip(&results) {
        if *is_valid != entry.valid || *validate_ok != entry.valid {
            failures.insert((entry.file.clone(), entry.case.clone(), entry.test.clone()));
        }
    }
    let expected: BTreeSet<_> = XFAIL
        .iter()
        .map(|(file, case, test, _)| ((*file).to_owned(), (*case).to_owned(), (*test).to_owned()))
        .collect();
    let unexpected: Vec<_> = failures.difference(&expected).collect();
    let fixed: Vec<_> = expected.difference(&failures).collect();
    let components: BTreeSet<&str> = entries.iter().map(|e| e.component.as_str()).collect();
    eprintln!(
        "suite: {} tests of {} cases ran through the generated crate; {} xfail; not applicable: {not_applicable:#?}",
        entries.len(),
        components.len(),
        XFAIL.len()
    );
    assert!(
        unexpected.is_empty(),
        "the generated validators disagree with the suite: {unexpected:#?}"
    );
    assert!(
        fixed.is_empty(),
        "xfail cases now pass; remove them from XFAIL: {fixed:#?}"
    );
}

fn write(path: &Path, contents: &str) {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(path, contents).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
}
