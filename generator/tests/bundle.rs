//! `contract bundle` as a user runs it: the binary on the real specs, the multi-file fixture and
//! the zoo spec, writing into a temporary folder. Proves the partner copies lose nothing:
//! every sample of every manifest gets the same violations from the source spec, from the 3.0.3
//! bundle (loaded like any spec) and from the 3.1 copy read directly by the `jsonschema` crate
//! as JSON Schema 2020-12 (an independent reading: no `spec::convert` involved). Also: the 3.1
//! copies are valid against the official OpenAPI 3.1 schema (vendored), every schema node
//! accepts `null` (and a set of probe values) in 3.1 exactly where `spec::convert` reads the 3.0
//! node as accepting it, the extension policy, and bad input.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Map, Value, json};

use contract::check::contract::Contract;
use contract::check::samples::{self, Entry, Expected, MessageKind};
use contract::spec::Spec;
use contract::spec::convert::{Converter, DIALECT, Direction};
use contract::spec::pointer;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the workspace root")
        .to_owned()
}

/// Runs `contract bundle ARGS --out OUT` from the repository root.
fn bundle(args: &[&str], out: &Path) -> assert_cmd::assert::Assert {
    Command::cargo_bin("contract")
        .unwrap()
        .current_dir(repo())
        .arg("bundle")
        .args(args)
        .arg("--out")
        .arg(out)
        .assert()
}

fn read_yaml(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_yaml::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn spec_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("specs"))
        .unwrap()
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 5, "{names:?}");
    names
}

/// The validator the 3.1 reading uses: JSON Schema 2020-12 with formats asserted, built from
/// `schema` with the 3.1 document's components beside it so `#/components/...` refs resolve.
fn compile31(document: &Value, schema: &Value) -> jsonschema::Validator {
    let mut root = match schema {
        Value::Object(map) => map.clone(),
        other => Map::from_iter([("allOf".to_owned(), json!([other]))]),
    };
    root.insert("$schema".to_owned(), json!(DIALECT));
    root.insert("components".to_owned(), document["components"].clone());
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .should_validate_formats(true)
        .build(&Value::Object(root))
        .unwrap_or_else(|error| panic!("a 3.1 schema does not compile: {error}\n{schema}"))
}

fn errors31(
    document: &Value,
    schema: &Value,
    value: &Value,
    part: &str,
    prefix: &str,
    out: &mut BTreeSet<Expected>,
) {
    let validator = compile31(document, schema);
    for error in validator.iter_errors(value) {
        out.insert(Expected {
            part: part.to_owned(),
            pointer: format!("{prefix}{}", error.instance_path().as_str()),
            rule: error.kind().keyword().to_owned(),
        });
    }
}

/// `#/components/...` followed once (parameters and schemas are referenced at most once deep).
fn resolve<'a>(document: &'a Value, value: &'a Value) -> &'a Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|reference| reference.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

/// A parameter's text read as the JSON value its schema's type names (the first non-null type
/// of a 3.1 union); text otherwise.
fn typed(raw: &str, schema: &Value) -> Value {
    let kind = match &schema["type"] {
        Value::String(kind) => Some(kind.as_str()),
        Value::Array(kinds) => kinds
            .iter()
            .filter_map(Value::as_str)
            .find(|k| *k != "null"),
        _ => None,
    };
    let parsed = match kind {
        Some("integer" | "number" | "boolean") => serde_json::from_str::<Value>(raw)
            .ok()
            .filter(|value| !value.is_string()),
        _ => None,
    };
    parsed.unwrap_or_else(|| json!(raw))
}

/// The JSON body schema of a Request Body or Response, as `contract validate` picks it.
fn json_schema(holder: &Value) -> Option<&Value> {
    holder["content"]
        .as_object()?
        .iter()
        .find(|(name, _)| {
            let essence = name.split(';').next().unwrap_or_default().trim();
            essence == "application/json" || essence.ends_with("+json") || essence == "*/*"
        })
        .and_then(|(_, media)| media.get("schema"))
}

/// What the 3.1 document says of one sample, read directly with the `jsonschema` crate:
/// violations as `(in, pointer, keyword)`, credentials (`security`) left out (checked equal
/// separately).
fn verdict31(
    document: &Value,
    method: &str,
    template: &str,
    entry: &Entry,
    body: &Value,
) -> BTreeSet<Expected> {
    let mut out = BTreeSet::new();
    let path_item = &document["paths"][template];
    let operation = &path_item[method.to_ascii_lowercase()];
    let concrete = entry.path.clone().unwrap_or_else(|| template.to_owned());
    let (path, query) = concrete.split_once('?').unwrap_or((&concrete, ""));
    let request = matches!(
        entry.message,
        MessageKind::Request | MessageKind::RequestHeaders
    );
    if request {
        let headers: Option<Vec<(String, String)>> = match entry.message {
            MessageKind::RequestHeaders => Some(
                body.as_object()
                    .unwrap()
                    .iter()
                    .map(|(name, value)| {
                        let text = value
                            .as_str()
                            .map_or_else(|| value.to_string(), str::to_owned);
                        (name.clone(), text)
                    })
                    .collect(),
            ),
            _ => entry.headers.as_ref().map(|headers| {
                headers
                    .iter()
                    .map(|(name, value)| (name.clone(), value.clone()))
                    .collect()
            }),
        };
        // Path-level parameters, overridden by the operation's own (same name and place).
        let mut parameters: Vec<&Value> = Vec::new();
        for parameter in [&path_item["parameters"], &operation["parameters"]]
            .into_iter()
            .filter_map(Value::as_array)
            .flatten()
            .map(|parameter| resolve(document, parameter))
        {
            parameters.retain(|known| {
                known["name"] != parameter["name"] || known["in"] != parameter["in"]
            });
            parameters.push(parameter);
        }
        for parameter in parameters {
            let name = parameter["name"].as_str().unwrap();
            let place = parameter["in"].as_str().unwrap();
            let raw: Option<String> = match place {
                "path" => template
                    .split('/')
                    .zip(path.split('/'))
                    .find(|(part, _)| *part == format!("{{{name}}}"))
                    .map(|(_, value)| value.to_owned()),
                "query" => query
                    .split('&')
                    .filter_map(|pair| pair.split_once('='))
                    .find(|(key, _)| *key == name)
                    .map(|(_, value)| value.to_owned()),
                "header" => match &headers {
                    Some(headers) => headers
                        .iter()
                        .find(|(key, _)| key.eq_ignore_ascii_case(name))
                        .map(|(_, value)| value.clone()),
                    None => continue,
                },
                _ => continue,
            };
            let key = if place == "header" {
                name.to_ascii_lowercase()
            } else {
                name.to_owned()
            };
            let prefix = pointer::join("", &key);
            match raw {
                None if parameter["required"] == true => {
                    out.insert(Expected {
                        part: place.to_owned(),
                        pointer: prefix,
                        rule: "required".to_owned(),
                    });
                }
                None => {}
                Some(raw) => {
                    let schema = &parameter["schema"];
                    let value = typed(&raw, resolve(document, schema));
                    errors31(document, schema, &value, place, &prefix, &mut out);
                }
            }
        }
        if entry.message == MessageKind::Request
            && let Some(schema) = json_schema(&operation["requestBody"])
        {
            errors31(document, schema, body, "body", "", &mut out);
        }
        return out;
    }
    let status = entry.status.as_deref().unwrap();
    let responses = &operation["responses"];
    let selected = responses
        .get(status)
        .or_else(|| {
            status
                .get(..1)
                .and_then(|first| responses.get(format!("{first}XX")))
        })
        .or_else(|| responses.get("default"))
        .map(|response| resolve(document, response));
    match selected {
        None => {
            out.insert(Expected {
                part: "status".to_owned(),
                pointer: String::new(),
                rule: "status".to_owned(),
            });
        }
        Some(response) => match json_schema(response) {
            Some(schema) => errors31(document, schema, body, "body", "", &mut out),
            None if response["content"].as_object().is_none_or(Map::is_empty) => {
                out.insert(Expected {
                    part: "body".to_owned(),
                    pointer: String::new(),
                    rule: "no-content".to_owned(),
                });
            }
            None => {}
        },
    }
    out
}

/// Every entry of a manifest: the same violations from the source, the 3.0 bundle and the 3.1
/// copy. Returns how many entries were compared three ways.
fn same_verdicts(
    manifest_dir: &Path,
    entries: &[Entry],
    source: &Contract,
    bundled: &Contract,
    document31: &Value,
) -> usize {
    let mut compared = 0;
    for entry in entries {
        let label = format!("{}: {}", manifest_dir.display(), entry.file);
        let from_source = samples::outcome(source, manifest_dir, entry);
        let from_bundle = samples::outcome(bundled, manifest_dir, entry);
        assert_eq!(from_source, from_bundle, "{label}: source vs 3.0 bundle");
        let Ok(Some(found)) = from_source else {
            continue;
        };
        let text = std::fs::read_to_string(manifest_dir.join(&entry.file)).unwrap();
        let body: Value = serde_json::from_str(&text).unwrap();
        let operation = source.operation(&entry.operation).unwrap();
        let expected: BTreeSet<Expected> = found
            .into_iter()
            .filter(|violation| violation.rule != "security")
            .collect();
        let read31 = verdict31(
            document31,
            &operation.method,
            &operation.template,
            entry,
            &body,
        );
        assert_eq!(expected, read31, "{label}: source vs the 3.1 copy");
        compared += 1;
    }
    compared
}

/// Credentials are checked from `security` and `securitySchemes`, which the 3.1 copy must carry
/// unchanged (so the `security` verdicts carry over).
fn security_unchanged(source: &Value, document31: &Value) {
    assert_eq!(source["security"], document31["security"]);
    assert_eq!(
        source["components"]["securitySchemes"],
        document31["components"]["securitySchemes"]
    );
    for (template, item) in source["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert_eq!(
                operation.get("security"),
                document31["paths"][template][method].get("security"),
                "{template} {method}"
            );
        }
    }
}

#[test]
fn every_sample_gets_the_same_verdict_from_the_spec_its_bundle_and_its_31_copy() {
    let out = tempfile::tempdir().unwrap();
    bundle(&[], out.path()).success();
    let (mut compared, mut total, mut malformed) = (0, 0, 0);
    for name in spec_names() {
        let spec = repo().join("specs").join(format!("{name}.yaml"));
        let source = Contract::load(&spec).unwrap();
        // The 3.1 reading has no request/response direction; our specs use none of
        // readOnly/writeOnly, so the comparison is exact. (Extend `verdict31` before adding one.)
        let text = serde_json::to_string(&source.spec().document).unwrap();
        assert!(
            !text.contains("\"readOnly\"") && !text.contains("\"writeOnly\""),
            "{name}"
        );
        let bundled = Contract::load(out.path().join(format!("{name}.openapi-3.0.yaml"))).unwrap();
        assert!(
            bundled.diagnostics().is_empty(),
            "{:?}",
            bundled.diagnostics()
        );
        let document31 = read_yaml(&out.path().join(format!("{name}.openapi-3.1.yaml")));
        // Source and bundle agree on every sample (below), so the 3.1 copy is compared with the
        // bundle, policy applied.
        security_unchanged(&bundled.spec().document, &document31);
        let manifest_path = repo()
            .join("specs/samples")
            .join(&name)
            .join("manifest.yaml");
        let manifest = samples::load(&manifest_path).unwrap();
        total += manifest.samples.len();
        malformed += manifest
            .samples
            .iter()
            .filter(|entry| entry.malformed)
            .count();
        compared += same_verdicts(
            manifest_path.parent().unwrap(),
            &manifest.samples,
            &source,
            &bundled,
            &document31,
        );
    }
    // Only the samples that are not JSON at all (malformed) are left out of the 3.1 reading.
    eprintln!("{compared} of {total} samples compared three ways, {malformed} not JSON");
    assert!(total >= 290, "{total} samples");
    assert_eq!(compared + malformed, total);
}

/// The sample messages of the multi-file fixture (it has no manifest of its own).
const MULTI_FILE_MANIFEST: &str = "spec: root.yaml
samples:
  - {file: negative/limit-ok.json, origin: negative, operation: listPets, message: request, path: '/pets?limit=5', verdict: valid}
  - {file: negative/limit-too-big.json, origin: negative, operation: listPets, message: request, path: '/pets?limit=500', verdict: known-invalid, reason: r,
     expect: [{in: query, pointer: /limit, rule: maximum}]}
  - {file: negative/pets.json, origin: negative, operation: listPets, message: response, status: '200', verdict: valid}
  - {file: negative/pets-broken.json, origin: negative, operation: listPets, message: response, status: '200', verdict: known-invalid, reason: r,
     expect: [{pointer: /0, rule: required}, {pointer: /0/owner/pets/0/name, rule: type}]}
  - {file: negative/not-found.json, origin: negative, operation: listPets, message: response, status: '404', verdict: known-invalid, reason: r,
     expect: [{pointer: /message, rule: type}]}
  - {file: negative/server-error.json, origin: negative, operation: listPets, message: response, status: '500', verdict: known-invalid, reason: r,
     expect: [{in: status, pointer: '', rule: status}]}
";

#[test]
fn a_multi_file_spec_bundles_to_one_file_with_the_same_verdicts() {
    let out = tempfile::tempdir().unwrap();
    let root = "generator/tests/fixtures/multi-file/root.yaml";
    bundle(&[root], out.path()).success();
    let file30 = out.path().join("root.openapi-3.0.yaml");
    let document30 = read_yaml(&file30);
    let mut references = Vec::new();
    references_outside_data(&document30, &mut references);
    assert!(!references.is_empty());
    let external: Vec<&String> = references.iter().filter(|r| !r.starts_with('#')).collect();
    assert!(external.is_empty(), "{external:?}");

    let samples_dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: Value| {
        let path = samples_dir.path().join("negative").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, body.to_string()).unwrap();
    };
    write("limit-ok.json", json!({}));
    write("limit-too-big.json", json!({}));
    write(
        "pets.json",
        json!([{"name": "rex", "owner": {"name": "ann", "pets": [{"name": "tom"}]}}]),
    );
    write(
        "pets-broken.json",
        json!([{"owner": {"pets": [{"name": 1}]}}]),
    );
    write("not-found.json", json!({"message": 3}));
    write("server-error.json", json!({}));
    let manifest: samples::Manifest = serde_yaml::from_str(MULTI_FILE_MANIFEST).unwrap();
    let source = Contract::load(repo().join(root)).unwrap();
    let bundled = Contract::load(&file30).unwrap();
    let document31 = read_yaml(&out.path().join("root.openapi-3.1.yaml"));
    // The manifest's own verdicts hold (so the three-way comparison compares something).
    for entry in &manifest.samples {
        let found = samples::outcome(&source, samples_dir.path(), entry)
            .unwrap()
            .unwrap();
        let expected: BTreeSet<Expected> = entry.expect.iter().cloned().collect();
        assert_eq!(found, expected, "{}", entry.file);
    }
    let compared = same_verdicts(
        samples_dir.path(),
        &manifest.samples,
        &source,
        &bundled,
        &document31,
    );
    assert_eq!(compared, manifest.samples.len());
}

/// Every `$ref` string of a document outside data values (`example`, `examples`, `default`,
/// `enum`).
fn references_outside_data(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("$ref", Value::String(text)) => out.push(text.clone()),
                    ("example" | "examples" | "default" | "enum", _) => {}
                    _ => references_outside_data(item, out),
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|item| references_outside_data(item, out)),
        _ => {}
    }
}

/// Every key of a document at any depth, outside data values.
fn keys(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                out.insert(key.clone());
                if !matches!(key.as_str(), "example" | "examples" | "default" | "enum") {
                    keys(item, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| keys(item, out)),
        _ => {}
    }
}

const INTERNAL: [&str; 3] = ["x-doc-discrepancies", "x-source", "x-source-document"];

#[test]
fn internal_extensions_are_dropped_unless_kept_and_partner_ones_stay() {
    let out = tempfile::tempdir().unwrap();
    bundle(&[], out.path()).success();
    let kept_dir = tempfile::tempdir().unwrap();
    bundle(&["--keep-internal"], kept_dir.path()).success();
    let (mut published, mut kept) = (BTreeSet::new(), BTreeSet::new());
    for name in spec_names() {
        for version in ["3.0", "3.1"] {
            let file = format!("{name}.openapi-{version}.yaml");
            keys(&read_yaml(&out.path().join(&file)), &mut published);
            keys(&read_yaml(&kept_dir.path().join(&file)), &mut kept);
        }
        // With everything kept, the 3.0 copy is the bundled spec itself, key order included.
        let source = Spec::load(repo().join("specs").join(format!("{name}.yaml"))).unwrap();
        let copy = read_yaml(&kept_dir.path().join(format!("{name}.openapi-3.0.yaml")));
        assert_eq!(
            serde_json::to_string(&copy).unwrap(),
            serde_json::to_string(&source.document).unwrap(),
            "{name}"
        );
    }
    for extension in INTERNAL {
        assert!(!published.contains(extension), "{extension} published");
        assert!(kept.contains(extension), "{extension} not kept");
    }
    for extension in ["x-sensitive", "x-idempotent", "x-replaced-by"] {
        assert!(published.contains(extension), "{extension} dropped");
    }
    // The policy is documented beside the extensions table, for exactly the same extensions.
    let readme = std::fs::read_to_string(repo().join("specs/README.md")).unwrap();
    let documented = contract::lint::documented_extensions(&repo().join("specs/README.md"))
        .unwrap()
        .into_iter()
        .collect::<BTreeSet<_>>();
    let decided: BTreeSet<String> = contract::publish::policy::POLICY
        .iter()
        .map(|rule| rule.extension.to_owned())
        .collect();
    assert_eq!(documented, decided);
    for rule in contract::publish::policy::POLICY {
        let word = match rule.audience {
            contract::publish::policy::Audience::Partner => "kept",
            contract::publish::policy::Audience::Internal => "dropped",
        };
        let row = readme
            .lines()
            .find(|line| line.starts_with(&format!("| `{}` |", rule.extension)))
            .unwrap();
        assert_eq!(row.split('|').nth(2).map(str::trim), Some(word), "{row}");
    }
}

#[test]
fn an_unknown_extension_is_refused_with_its_key_and_place_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(repo().join("specs/upmoney.yaml")).unwrap();
    let marker = "      operationId: login\n";
    assert!(text.contains(marker));
    let text = text.replacen(marker, &format!("{marker}      x-team: cards\n"), 1);
    let spec = dir.path().join("upmoney.yaml");
    std::fs::write(&spec, &text).unwrap();
    let line = text
        .lines()
        .position(|line| line.contains("x-team"))
        .unwrap()
        + 1;
    let out = dir.path().join("out");
    let good = repo().join("specs/qitech.yaml");
    let assert = bundle(&[good.to_str().unwrap(), spec.to_str().unwrap()], &out)
        .code(2)
        .stdout("");
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("`x-team`"), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "upmoney.yaml:{line}:7: at #/paths/~1auth~1login/post/x-team"
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing may be written");
}

#[test]
fn bad_input_exits_2_with_file_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("broken.yaml");
    std::fs::write(&spec, "openapi: 3.0.3\ninfo: {title: t\npaths: {}\n").unwrap();
    let out = dir.path().join("out");
    let assert = bundle(&[spec.to_str().unwrap()], &out).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("broken.yaml:3:"), "{stderr}");
    assert!(!out.exists());

    let missing = dir.path().join("missing.yaml");
    let assert = bundle(&[missing.to_str().unwrap()], &out).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("missing.yaml: cannot read the spec"),
        "{stderr}"
    );

    // A broken reference in a split spec: the file holding it, its line and pointer.
    let broken = "generator/tests/fixtures/multi-file/broken-file.yaml";
    let assert = bundle(&[broken], &out).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("broken-file.yaml:6: at #/paths/~1a/get/$ref"),
        "{stderr}"
    );
    // A defect the loader would read leniently is not published.
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
         A: {type: string, maxlength: 3}\n",
    )
    .unwrap();
    let assert = bundle(&[spec.to_str().unwrap()], &out).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("broken.yaml:6:23: at #/components/schemas/A/maxlength"),
        "{stderr}"
    );
    assert!(!out.exists());
    // Usage: --out is required, and the version is one of three.
    Command::cargo_bin("contract")
        .unwrap()
        .args(["bundle", "x.yaml"])
        .assert()
        .code(2);
    bundle(&["--version", "3.2"], &out).code(2);
}

#[test]
fn what_the_31_copy_leaves_out_is_named_as_a_warning() {
    let out = tempfile::tempdir().unwrap();
    let nullable = "generator/tests/fixtures/publish/nullable.yaml";
    let assert = bundle(&[nullable], out.path()).success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let properties = "#/components/schemas/Thing/properties";
    for (property, reason) in [
        ("refBeside", "beside `$ref` has no effect"),
        ("allOfUntyped", "without `type` has no effect"),
        ("untypedEnum", "without `type` has no effect"),
        ("untyped", "without `type` has no effect"),
    ] {
        let line = format!("warning: {nullable}: at {properties}/{property}/nullable: `");
        assert!(
            stderr
                .lines()
                .any(|text| text.starts_with(&line) && text.contains(reason)),
            "{property}: {stderr}"
        );
    }
    assert_eq!(stderr.lines().count(), 4, "{stderr}");

    // A remote reference is not fetched: the copy says it is not self-contained.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("remote.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
         A: {$ref: 'https://schemas.example.test/a.yaml#/A'}\n",
    )
    .unwrap();
    let assert = bundle(&[spec.to_str().unwrap()], out.path()).success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("at #/components/schemas/A/$ref: a `$ref` to a remote URL"),
        "{stderr}"
    );
}

#[test]
fn version_selects_the_files_written() {
    let out = tempfile::tempdir().unwrap();
    bundle(&["specs/qitech.yaml", "--version", "3.1"], out.path()).success();
    let mut written: Vec<String> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written, ["qitech.openapi-3.1.yaml"]);
}

/// The specs every 3.1 test converts: two of ours, the multi-file fixture, the zoo (every
/// construct third-party specs use: nullable, exclusive bounds, binary bodies, readOnly, ...)
/// and the nullable fixture (every way 3.0 writes `nullable`).
fn all_copies(out: &Path) -> Vec<(PathBuf, String)> {
    let zoo = "tests/fixtures/specs/zoo.yaml";
    let root = "generator/tests/fixtures/multi-file/root.yaml";
    let nullable = "generator/tests/fixtures/publish/nullable.yaml";
    bundle(
        &[
            zoo,
            root,
            nullable,
            "specs/upmoney.yaml",
            "specs/nueve09.yaml",
        ],
        out,
    )
    .success();
    let mut specs: Vec<(PathBuf, String)> = spec_names()
        .into_iter()
        .map(|name| (repo().join("specs").join(format!("{name}.yaml")), name))
        .collect();
    specs.retain(|(_, name)| name == "upmoney" || name == "nueve09");
    specs.push((repo().join(zoo), "zoo".to_owned()));
    specs.push((repo().join(root), "root".to_owned()));
    specs.push((repo().join(nullable), "nullable".to_owned()));
    specs
}

#[test]
fn every_31_copy_is_valid_against_the_official_schema() {
    let out = tempfile::tempdir().unwrap();
    all_copies(out.path());
    let rest = tempfile::tempdir().unwrap();
    bundle(&[], rest.path()).success();
    let compile = |file: &str, draft| {
        let schema: Value =
            serde_json::from_str(&std::fs::read_to_string(repo().join(file)).unwrap()).unwrap();
        jsonschema::options()
            .with_draft(draft)
            .build(&schema)
            .unwrap()
    };
    let official31 = compile(
        "tests/fixtures/openapi-3.1/schema.json",
        jsonschema::Draft::Draft202012,
    );
    let official30 = compile(
        "tests/fixtures/openapi-3.0/schema.json",
        jsonschema::Draft::Draft4,
    );
    let mut checked = Vec::new();
    for directory in [out.path(), rest.path()] {
        for entry in std::fs::read_dir(directory).unwrap() {
            let file = entry.unwrap().path();
            let name = file.file_name().unwrap().to_string_lossy().into_owned();
            let document = read_yaml(&file);
            let validator = if name.ends_with(".openapi-3.1.yaml") {
                assert_eq!(document["openapi"], "3.1.0", "{name}");
                &official31
            } else {
                assert!(name.ends_with(".openapi-3.0.yaml"), "{name}");
                &official30
            };
            let errors: Vec<String> = validator
                .iter_errors(&document)
                .map(|error| format!("{}: {error}", error.instance_path().as_str()))
                .collect();
            assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
            checked.push(name);
        }
    }
    // Both versions of the 5 specs, the zoo, the multi-file root and the nullable fixture
    // (upmoney and nueve09 twice).
    assert_eq!(checked.len(), 2 * 5 + 2 * 5, "{checked:?}");
}

/// Every Schema Object of a 3.0 document, by pointer (not through `$ref`s, not into data).
fn schema_pointers(value: &Value, at: &str, in_schema: bool, out: &mut Vec<String>) {
    let join = |key: &str| pointer::join(at, key);
    match value {
        Value::Array(items) if !in_schema => {
            for (index, item) in items.iter().enumerate() {
                schema_pointers(item, &format!("{at}/{index}"), false, out);
            }
        }
        Value::Object(map) if in_schema => {
            out.push(at.to_owned());
            if map.contains_key("$ref") {
                return;
            }
            for (key, item) in map {
                match (key.as_str(), item) {
                    ("items" | "not", _) | ("additionalProperties", Value::Object(_)) => {
                        schema_pointers(item, &join(key), true, out);
                    }
                    ("allOf" | "oneOf" | "anyOf", Value::Array(branches)) => {
                        for (index, branch) in branches.iter().enumerate() {
                            schema_pointers(branch, &format!("{}/{index}", join(key)), true, out);
                        }
                    }
                    ("properties", Value::Object(properties)) => {
                        for (name, property) in properties {
                            let here = pointer::join(&join(key), name);
                            schema_pointers(property, &here, true, out);
                        }
                    }
                    _ => {}
                }
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                match key.as_str() {
                    "schema" => schema_pointers(item, &join(key), true, out),
                    "schemas" if at == "/components" => {
                        for (name, schema) in item.as_object().into_iter().flatten() {
                            let here = pointer::join(&join(key), name);
                            schema_pointers(schema, &here, true, out);
                        }
                    }
                    "example" | "examples" => {}
                    _ if key.starts_with("x-") => {}
                    _ => schema_pointers(item, &join(key), false, out),
                }
            }
        }
        _ => {}
    }
}

/// A converted root without its `$defs`, and the `$defs` it reaches (transitively): what
/// decides its verdicts.
fn reachable(root: &Value) -> (Value, BTreeSet<String>) {
    fn references(value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, item) in map {
                    match (key.as_str(), item) {
                        ("$ref", Value::String(text)) => out.push(text.clone()),
                        ("$defs", _) => {}
                        _ => references(item, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|item| references(item, out)),
            _ => {}
        }
    }
    let mut own = root.clone();
    own.as_object_mut().unwrap().remove("$defs");
    let mut queue = Vec::new();
    references(&own, &mut queue);
    let mut seen = BTreeSet::new();
    while let Some(reference) = queue.pop() {
        let Some(name) = reference.strip_prefix("#/$defs/") else {
            continue;
        };
        let definition = &root["$defs"][name];
        if seen.insert(format!("{name}: {definition}")) {
            references(definition, &mut queue);
        }
    }
    (own, seen)
}

/// A JSON pointer as a URI fragment (`{` and `}` of path templates percent-encoded).
fn fragment(pointer: &str) -> String {
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'"')
        .add(b'%')
        .add(b'<')
        .add(b'>')
        .add(b'\\')
        .add(b'^')
        .add(b'`')
        .add(b'{')
        .add(b'|')
        .add(b'}');
    percent_encoding::utf8_percent_encode(pointer, ESCAPED).to_string()
}

#[test]
fn every_schema_accepts_null_and_the_probes_in_31_exactly_where_it_did_in_30() {
    let out = tempfile::tempdir().unwrap();
    let probes = [
        json!(null),
        json!(true),
        json!(0),
        json!(1),
        json!(-1),
        json!(1.5),
        json!(100),
        json!(""),
        json!("a"),
        json!("2024-01-31"),
        json!([]),
        json!([null]),
        json!({}),
    ];
    let (mut nodes, mut nullable_nodes, mut directional) = (0, 0, 0);
    for (spec_path, name) in all_copies(out.path()) {
        let spec = Spec::load(&spec_path).unwrap();
        let converter = Converter::new(&spec.document).unwrap();
        let document31 = read_yaml(&out.path().join(format!("{name}.openapi-3.1.yaml")));
        let mut pointers = Vec::new();
        schema_pointers(&spec.document, "", false, &mut pointers);
        assert!(!pointers.is_empty(), "{name}");
        for at in pointers {
            let node = spec.document.pointer(&at).unwrap();
            let request = converter.root(node, &at, Direction::Request).unwrap();
            let response = converter.root(node, &at, Direction::Response).unwrap();
            if reachable(&request) != reachable(&response) {
                // readOnly/writeOnly decide per direction in OpenAPI, not in JSON Schema: the
                // 3.1 reading of such a node is the tool's, not the schema's alone.
                directional += 1;
                continue;
            }
            let reading30 = contract::check::oracle::compile(&response).unwrap();
            let mut root = document31.clone();
            root["$schema"] = json!(DIALECT);
            root["$ref"] = json!(format!("#{}", fragment(&at)));
            let reading31 = jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .should_validate_formats(true)
                .build(&root)
                .unwrap_or_else(|error| panic!("{name} #{at}: {error}"));
            let options = node["enum"].as_array().into_iter().flatten();
            if node.get("nullable") == Some(&json!(true)) {
                nullable_nodes += 1;
            }
            for probe in probes.iter().chain(options) {
                assert_eq!(
                    reading30.is_valid(probe),
                    reading31.is_valid(probe),
                    "{name} #{at}: {probe} (3.0 reading vs 3.1 copy)"
                );
            }
            nodes += 1;
        }
    }
    eprintln!("{nodes} schema nodes probed ({nullable_nodes} nullable), {directional} skipped");
    assert!(nodes > 150, "{nodes} schema nodes probed");
    assert!(nullable_nodes >= 3, "{nullable_nodes} nullable nodes");
    assert!(
        directional < nodes / 5,
        "{directional} direction-dependent nodes"
    );
}
