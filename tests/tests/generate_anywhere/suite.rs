//! The JSON Schema Test Suite through the generated `draft4-suite-validator`: for each suite test
//! (`../suite-cases.json`, written by `tests/tests/generate_anywhere.rs`), the answers of
//! `is_valid` and `validate`, written in order to `../suite-results.json`. The suite's verdicts
//! and the xfail list are compared by the test that wrote the cases.

use draft4_suite_validator as suite;
use serde_json::Value;

#[test]
fn every_suite_test_is_answered() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the harness sits in the workspace");
    let text = std::fs::read_to_string(dir.join("suite-cases.json")).expect("suite-cases.json");
    let entries: Vec<Value> = serde_json::from_str(&text).expect("suite-cases.json is JSON");
    assert!(!entries.is_empty());
    let mut results = Vec::new();
    for entry in &entries {
        let component = entry["component"].as_str().expect("a component name");
        let data = &entry["data"];
        let is_valid = suite::is_valid(component, data);
        let validated = suite::validate(component, data);
        if let Err(suite::MessageError::UnknownSchema(name)) = &validated {
            panic!("the generated crate has no component {name:?}");
        }
        // Whatever the verdict, a rejection lists at least one violation.
        if let Err(suite::MessageError::Invalid(errors)) = &validated {
            assert!(!errors.is_empty(), "{component}: an empty rejection");
        }
        results.push((is_valid, validated.is_ok()));
    }
    std::fs::write(
        dir.join("suite-results.json"),
        serde_json::to_string(&results).expect("results serialize"),
    )
    .expect("writing suite-results.json");
}
