//! Helpers shared by the CLI tests: the official SARIF 2.1.0 schema as a validator, a JUnit XML
//! reader, and git run in a temporary repository.
#![allow(dead_code)] // each test file uses the part it needs

use std::path::Path;

use serde_json::Value;

/// The vendored official SARIF 2.1.0 schema (`tests/fixtures/sarif/`), compiled.
pub fn sarif_validator() -> jsonschema::Validator {
    let schema_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/sarif/sarif-schema-2.1.0.json");
    let mut schema: Value =
        serde_json::from_str(&std::fs::read_to_string(schema_path).unwrap()).unwrap();
    // The schema's `run.language` pattern has a lone `]`, a literal in ECMAScript regexes but an
    // error to the regex check `jsonschema` runs on every schema it builds. `\]` means the same
    // in both, so the vendored file stays as published and only this copy is spelled that way.
    fn respell(value: &mut Value, count: &mut usize) {
        match value {
            Value::String(text) if text == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
                *text = "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}\\]?$".to_owned();
                *count += 1;
            }
            Value::Object(map) => map.values_mut().for_each(|child| respell(child, count)),
            Value::Array(items) => items.iter_mut().for_each(|child| respell(child, count)),
            _ => {}
        }
    }
    let mut count = 0;
    respell(&mut schema, &mut count);
    assert!(
        count > 0,
        "the schema no longer has the pattern this test respells"
    );
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

/// Parses a SARIF log and asserts it is valid against the official schema.
pub fn valid_sarif(text: &str) -> Value {
    let log: Value = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let errors: Vec<String> = sarif_validator()
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    log
}

/// What a JUnit XML document holds, read by an XML parser.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Junit {
    pub suites: Vec<String>,
    pub cases: Vec<String>,
    pub failures: usize,
    pub errors: usize,
}

pub fn junit(text: &str) -> Junit {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(text);
    let mut junit = Junit::default();
    let name = |element: &quick_xml::events::BytesStart| {
        element
            .try_get_attribute("name")
            .unwrap()
            .map(|a| a.unescape_value().unwrap().into_owned())
            .unwrap_or_default()
    };
    loop {
        match reader.read_event().unwrap() {
            Event::Eof => break,
            Event::Start(element) | Event::Empty(element) => match element.name().as_ref() {
                b"testsuite" => junit.suites.push(name(&element)),
                b"testcase" => junit.cases.push(name(&element)),
                b"failure" => junit.failures += 1,
                b"error" => junit.errors += 1,
                _ => {}
            },
            _ => {}
        }
    }
    junit
}

/// Runs git in `dir` with a throwaway identity; the test fails if git does.
pub fn git(dir: &Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}
