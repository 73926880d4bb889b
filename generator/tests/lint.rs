//! `contract lint` as a user runs it: the binary on real files in a temporary folder. Every rule
//! fires on a spec made to break it, at the right pointer and line; our five specs lint clean
//! under the repository's contract.toml; config mistakes exit 2 naming the line; every output
//! format parses (SARIF against the official 2.1.0 schema, JUnit with an XML parser).

mod common;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

/// A spec that breaks no rule, even with every non-recommended rule switched on.
const BASE: &str = "openapi: 3.0.3
info:
  title: T
  version: 1.0.0
  description: D
  contact: {name: n, url: 'https://x.test', email: a@x.test}
  license: {name: MIT, url: 'https://x.test/l'}
servers:
  - url: https://api.x.test
tags:
  - name: a
    description: A
paths:
  /items/{id}:
    get:
      tags: [a]
      operationId: getItem
      description: Gets.
      parameters:
        - name: id
          in: path
          required: true
          description: The id.
          schema: {type: string}
      responses:
        '200':
          description: OK
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
components:
  schemas:
    Item:
      type: object
      properties:
        name: {type: string}
#end
";

const README: &str = "# specs\n\n| extension | where |\n|---|---|\n| `x-doc-discrepancies` | operation |\n| `x-replaced-by` | operation |\n";

/// The rules Spectral ships off (`recommended: false`), switched on so they are tested too.
const CONFIG: &str = "[lint.rules]
contact-properties = \"warn\"
info-license = \"warn\"
license-url = \"warn\"
openapi-tags-alphabetical = \"warn\"
openapi-tags = \"warn\"
operation-singular-tag = \"warn\"
tag-description = \"warn\"
oas3-parameter-description = \"warn\"
\"oas3-server-not-example.com\" = \"warn\"
";

const SCHEMA_LINE: &str = "              schema: {$ref: '#/components/schemas/Item'}\n";
const OP: &str = "/paths/~1items~1{id}/get";

/// (rule, text to replace, replacement, pointer of the finding, text on the finding's line).
fn cases() -> Vec<(&'static str, String, String, String, &'static str)> {
    let op = |rest: &str| format!("{OP}{rest}");
    let after_description = |extra: &str| {
        (
            "      description: Gets.\n".to_owned(),
            format!("      description: Gets.\n{extra}"),
        )
    };
    let mut out = Vec::new();
    let mut add = |rule, (from, to): (String, String), pointer: String, marker| {
        out.push((rule, from, to, pointer, marker));
    };
    let s = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    add(
        "operation-success-response",
        s("'200':", "'404':"),
        op("/responses"),
        "      responses:",
    );
    add(
        "operation-operationId-unique",
        s(
            "components:\n",
            "  /other:\n    get:\n      tags: [a]\n      operationId: getItem #dup\n      description: x\n      responses:\n        '204':\n          description: OK\ncomponents:\n",
        ),
        "/paths/~1other/get/operationId".to_owned(),
        "#dup",
    );
    add(
        "operation-parameters",
        s(
            "          schema: {type: string}\n      responses:",
            "          schema: {type: string}\n        - name: id #dup\n          in: path\n          required: true\n          description: again\n          schema: {type: string}\n      responses:",
        ),
        op("/parameters/1"),
        "#dup",
    );
    add(
        "operation-tag-defined",
        s("tags: [a]", "tags: [b]"),
        op("/tags/0"),
        "tags: [b]",
    );
    add(
        "path-params",
        s("/items/{id}:", "/items/{itemId}:"),
        "/paths/~1items~1{itemId}/get".to_owned(),
        "    get:",
    );
    add(
        "contact-properties",
        s(
            "contact: {name: n, url: 'https://x.test', email: a@x.test}",
            "contact: {name: n}",
        ),
        "/info/contact".to_owned(),
        "contact:",
    );
    add(
        "duplicated-entry-in-enum",
        s("name: {type: string}", "name: {type: string, enum: [a, a]}"),
        "/components/schemas/Item/properties/name/enum/1".to_owned(),
        "enum: [a, a]",
    );
    add(
        "info-contact",
        s(
            "  contact: {name: n, url: 'https://x.test', email: a@x.test}\n",
            "",
        ),
        "/info".to_owned(),
        "info:",
    );
    add(
        "info-description",
        s("  description: D\n", ""),
        "/info".to_owned(),
        "info:",
    );
    add(
        "info-license",
        s("  license: {name: MIT, url: 'https://x.test/l'}\n", ""),
        "/info".to_owned(),
        "info:",
    );
    add(
        "license-url",
        s(
            "license: {name: MIT, url: 'https://x.test/l'}",
            "license: {name: MIT}",
        ),
        "/info/license".to_owned(),
        "license:",
    );
    add(
        "no-eval-in-markdown",
        s("description: D", "description: run eval(x)"),
        "/info/description".to_owned(),
        "eval(",
    );
    add(
        "no-script-tags-in-markdown",
        s("description: D", "description: a <script>x</script>"),
        "/info/description".to_owned(),
        "<script>",
    );
    add(
        "openapi-tags-alphabetical",
        s(
            "    description: A\n",
            "    description: A\n  - name: Z0\n    description: Z\n",
        ),
        "/tags/1".to_owned(),
        "name: Z0",
    );
    add(
        "openapi-tags-uniqueness",
        s(
            "    description: A\n",
            "    description: A\n  - name: a #dup\n    description: A\n",
        ),
        "/tags/1/name".to_owned(),
        "#dup",
    );
    add(
        "openapi-tags",
        s("tags:\n  - name: a\n    description: A\n", ""),
        String::new(),
        "openapi:",
    );
    add(
        "operation-description",
        s("      description: Gets.\n", ""),
        op(""),
        "    get:",
    );
    add(
        "operation-operationId",
        s("      operationId: getItem\n", ""),
        op(""),
        "    get:",
    );
    add(
        "operation-operationId-valid-in-url",
        s("operationId: getItem", "operationId: 'get<item>'"),
        op("/operationId"),
        "operationId:",
    );
    add(
        "operation-singular-tag",
        s("tags: [a]", "tags: [a, a]"),
        op("/tags"),
        "tags: [a, a]",
    );
    add(
        "operation-tags",
        s("      tags: [a]\n", ""),
        op(""),
        "    get:",
    );
    add(
        "path-declarations-must-exist",
        s("/items/{id}:", "/items/{id}/{}:"),
        "/paths/~1items~1{id}~1{}".to_owned(),
        "/{}:",
    );
    add(
        "path-keys-no-trailing-slash",
        s("/items/{id}:", "/items/{id}/:"),
        "/paths/~1items~1{id}~1".to_owned(),
        "/items/",
    );
    add(
        "path-not-include-query",
        s("/items/{id}:", "/items/{id}?x=1:"),
        "/paths/~1items~1{id}?x=1".to_owned(),
        "?x=1",
    );
    add(
        "tag-description",
        s("    description: A\n", ""),
        "/tags/0".to_owned(),
        "- name: a",
    );
    add(
        "no-$ref-siblings",
        s(
            "schema: {$ref: '#/components/schemas/Item'}",
            "schema: {$ref: '#/components/schemas/Item', description: s}",
        ),
        op("/responses/200/content/application~1json/schema/description"),
        "description: s}",
    );
    add(
        "array-items",
        s("name: {type: string}", "name: {type: array}"),
        "/components/schemas/Item/properties/name".to_owned(),
        "type: array",
    );
    add(
        "typed-enum",
        s("name: {type: string}", "name: {type: string, enum: [a, 1]}"),
        "/components/schemas/Item/properties/name/enum/1".to_owned(),
        "enum: [a, 1]",
    );
    add(
        "oas3-api-servers",
        s("servers:\n  - url: https://api.x.test\n", ""),
        String::new(),
        "openapi:",
    );
    add(
        "oas3-examples-value-or-externalValue",
        (
            SCHEMA_LINE.to_owned(),
            format!("{SCHEMA_LINE}              examples:\n                one: {{summary: s}}\n"),
        ),
        op("/responses/200/content/application~1json/examples/one"),
        "one: {summary",
    );
    add(
        "oas3-operation-security-defined",
        after_description("      security:\n        - nope: []\n"),
        op("/security/0/nope"),
        "- nope",
    );
    add(
        "oas3-parameter-description",
        s("          description: The id.\n", ""),
        op("/parameters/0"),
        "- name: id",
    );
    add(
        "oas3-server-not-example.com",
        s("https://api.x.test", "https://api.example.com"),
        "/servers/0/url".to_owned(),
        "example.com",
    );
    add(
        "oas3-server-trailing-slash",
        s("https://api.x.test", "https://api.x.test/"),
        "/servers/0/url".to_owned(),
        "api.x.test/",
    );
    add(
        "oas3-valid-media-example",
        (
            SCHEMA_LINE.to_owned(),
            format!("{SCHEMA_LINE}              example: {{name: 5}}\n"),
        ),
        op("/responses/200/content/application~1json/example"),
        "example: {name: 5}",
    );
    add(
        "oas3-valid-schema-example",
        s("name: {type: string}", "name: {type: string, example: 5}"),
        "/components/schemas/Item/properties/name/example".to_owned(),
        "example: 5",
    );
    add(
        "oas3-schema",
        s("  version: 1.0.0\n", ""),
        "/info".to_owned(),
        "info:",
    );
    add(
        "oas3-unused-component",
        s("#end", "    Unused: {type: string}\n#end"),
        "/components/schemas/Unused".to_owned(),
        "Unused:",
    );
    add(
        "oas3-links-parameters-expression",
        s(
            "          description: OK\n",
            "          description: OK\n          links:\n            next:\n              operationId: getItem\n              parameters: {id: '$request.bogus'}\n",
        ),
        op("/responses/200/links/next/parameters/id"),
        "$request.bogus",
    );
    add(
        "oas3-server-variables",
        s("https://api.x.test", "https://{region}.x.test"),
        "/servers/0/url".to_owned(),
        "{region}",
    );
    add(
        "oas3-callbacks-in-callbacks",
        after_description(
            "      callbacks:\n        cb:\n          '{$request.body#/url}':\n            post:\n              callbacks: {}\n              responses:\n                '200': {description: ok}\n",
        ),
        op("/callbacks/cb/{$request.body#~1url}/post/callbacks"),
        "callbacks: {}",
    );
    add(
        "contract-error-example",
        (
            SCHEMA_LINE.to_owned(),
            format!(
                "{SCHEMA_LINE}        '404':\n          description: nf\n          content:\n            application/json: #err\n{SCHEMA_LINE}"
            ),
        ),
        op("/responses/404/content/application~1json"),
        "#err",
    );
    add(
        "contract-sensitive-field",
        s("name: {type: string}", "cardNumber: {type: string}"),
        "/components/schemas/Item/properties/cardNumber".to_owned(),
        "cardNumber:",
    );
    add(
        "contract-known-extension",
        s("  title: T\n", "  title: T\n  x-unknown: 1\n"),
        "/info/x-unknown".to_owned(),
        "x-unknown",
    );
    add(
        "contract-doc-discrepancies",
        after_description(
            "      x-doc-discrepancies:\n        - id: Bad_Id\n          kind: misspelling\n          document: a\n          conflict: b\n          decision: c\n",
        ),
        op("/x-doc-discrepancies/0/id"),
        "Bad_Id",
    );
    add(
        "contract-deprecated-replacement",
        after_description("      deprecated: true\n"),
        op("/deprecated"),
        "deprecated: true",
    );
    out
}

/// A folder with the spec, the README its extensions are checked against, and the config.
fn workspace(spec: &str, config: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let spec_path = dir.path().join("spec.yaml");
    std::fs::write(&spec_path, spec).unwrap();
    std::fs::write(dir.path().join("README.md"), README).unwrap();
    std::fs::write(dir.path().join("contract.toml"), config).unwrap();
    (dir, spec_path)
}

fn lint(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::cargo_bin("contract")
        .unwrap()
        .current_dir(dir)
        .arg("lint")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn findings(json: &str) -> Vec<Value> {
    let value: Value = serde_json::from_str(json).unwrap();
    value["sections"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|section| section["findings"].as_array().unwrap().clone())
        .collect()
}

#[test]
fn the_base_spec_is_clean_with_every_rule_on() {
    let (dir, _) = workspace(BASE, CONFIG);
    let (code, out, err) = lint(
        dir.path(),
        &["spec.yaml", "--format", "json", "--fail-on", "hint"],
    );
    assert_eq!(findings(&out), Vec::<Value>::new(), "{err}");
    assert_eq!(code, 0);
}

#[test]
fn every_rule_fires_at_its_pointer_and_line() {
    let cases = cases();
    // Every rule the binary knows has a case here.
    let (dir, _) = workspace(BASE, CONFIG);
    let (_, sarif, _) = lint(dir.path(), &["spec.yaml", "--format", "sarif"]);
    let sarif: Value = serde_json::from_str(&sarif).unwrap();
    for rule in sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let id = rule["id"].as_str().unwrap();
        assert!(cases.iter().any(|case| case.0 == id), "no case breaks {id}");
    }
    let mut failures = Vec::new();
    for (rule, from, to, pointer, marker) in &cases {
        assert!(
            BASE.contains(from.as_str()),
            "{rule}: `{from}` is not in the base spec"
        );
        let spec = BASE.replacen(from.as_str(), to, 1);
        let line = spec
            .lines()
            .position(|text| text.contains(marker))
            .unwrap_or_else(|| panic!("{rule}: marker `{marker}` not in the spec"))
            + 1;
        let (dir, _) = workspace(&spec, CONFIG);
        let (code, out, err) = lint(
            dir.path(),
            &["spec.yaml", "--format", "json", "--fail-on", "hint"],
        );
        let found = findings(&out);
        let hit = found.iter().find(|finding| {
            finding["rule"] == *rule && finding["location"]["pointer"] == pointer.as_str()
        });
        match hit {
            Some(finding) => {
                if finding["location"]["line"] != line {
                    failures.push(format!(
                        "{rule}: line {} instead of {line}",
                        finding["location"]["line"]
                    ));
                }
                assert_eq!(finding["location"]["file"], "spec.yaml");
                assert!(finding["location"]["column"].as_u64().unwrap() >= 1);
                if code != 1 {
                    failures.push(format!("{rule}: exit {code}"));
                }
            }
            None => failures.push(format!("{rule}: not at {pointer}; found {found:?} {err}")),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn severities_off_and_ignores_apply() {
    let spec = BASE.replacen("      description: Gets.\n", "", 1);
    let (dir, _) = workspace(&spec, "[lint.rules]\noperation-description = \"off\"\n");
    let (code, out, _) = lint(dir.path(), &["spec.yaml", "--format", "json"]);
    assert!(findings(&out).is_empty());
    assert_eq!(code, 0);
    let (dir, _) = workspace(&spec, "[lint.rules]\noperation-description = \"error\"\n");
    let (code, out, _) = lint(dir.path(), &["spec.yaml", "--format", "json"]);
    assert_eq!(findings(&out)[0]["severity"], "error");
    assert_eq!(code, 1);
    let ignore = "[[lint.ignore]]\nfile = \"spec.yaml\"\npointer = \"#/paths/~1items~1{id}/get\"\nrule = \"operation-description\"\nreason = \"tested\"\n";
    let (dir, _) = workspace(&spec, ignore);
    let (_, out, _) = lint(
        dir.path(),
        &["spec.yaml", "--format", "json", "--fail-on", "hint"],
    );
    assert!(findings(&out).is_empty(), "{out}");
    // --config names another file; the default warn fails at --fail-on warn.
    let (dir, _) = workspace(&spec, "not toml at all [");
    std::fs::write(dir.path().join("other.toml"), "").unwrap();
    let (code, _, _) = lint(
        dir.path(),
        &["spec.yaml", "--config", "other.toml", "--fail-on", "warn"],
    );
    assert_eq!(code, 1);
}

#[test]
fn config_mistakes_exit_2_with_file_and_line() {
    let cases = [
        (
            "[lint.rules]\ninfo-contact = \"warn\"\nno-such-rule = \"off\"\n",
            "contract.toml:3:1",
            "unknown rule `no-such-rule`",
        ),
        (
            "[lint.rules]\ninfo-contact = \"loud\"\n",
            "contract.toml:2:16",
            "not a severity",
        ),
        (
            "\n[[lint.ignore]]\nfile = \"spec.yaml\"\npointer = \"/info\"\nrule = \"info-contact\"\n",
            "contract.toml:2:",
            "reason",
        ),
        (
            "[[lint.ignore]]\nfile = \"spec.yaml\"\npointer = \"/info\"\nrule = \"nope\"\nreason = \"x\"\n",
            "contract.toml:4:",
            "unknown rule `nope`",
        ),
        ("[lint]\nrulez = {}\n", "contract.toml:2:", "rulez"),
    ];
    for (config, place, message) in cases {
        let (dir, _) = workspace(BASE, config);
        let (code, out, err) = lint(dir.path(), &["spec.yaml"]);
        assert_eq!(code, 2, "{config}: {out}{err}");
        assert!(
            err.contains(place) && err.contains(message),
            "{config}: {err}"
        );
    }
}

#[test]
fn unreadable_specs_exit_2() {
    let (dir, _) = workspace(BASE, "");
    std::fs::write(dir.path().join("bad.yaml"), "openapi: [unclosed\n").unwrap();
    let (code, out, _) = lint(dir.path(), &["spec.yaml", "bad.yaml", "missing.yaml"]);
    assert_eq!(code, 2);
    assert!(
        out.contains("bad.yaml: error lint: could not check"),
        "{out}"
    );
    assert!(
        out.contains("missing.yaml: error lint: could not check"),
        "{out}"
    );
}

#[test]
fn our_specs_lint_clean_under_contract_toml() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let (code, out, err) = lint(&root, &["--format", "json", "--fail-on", "hint"]);
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["sections"].as_array().unwrap().len(), 5, "{out}");
    assert_eq!(findings(&out), Vec::<Value>::new(), "{err}");
    assert_eq!(code, 0);
}

/// A run with findings of every level and a section that could not be checked.
fn mixed(format: &str) -> (i32, String) {
    let spec = BASE.replacen("      description: Gets.\n", "", 1).replacen(
        "name: {type: string}",
        "name: {type: array}",
        1,
    );
    let (dir, _) = workspace(&spec, "[lint.rules]\ninfo-contact = \"info\"\n");
    let spec = std::fs::read_to_string(dir.path().join("spec.yaml")).unwrap();
    std::fs::write(
        dir.path().join("spec.yaml"),
        spec.replacen(
            "  contact: {name: n, url: 'https://x.test', email: a@x.test}\n",
            "",
            1,
        ),
    )
    .unwrap();
    let (code, out, _) = lint(
        dir.path(),
        &["spec.yaml", "missing.yaml", "--format", format],
    );
    (code, out)
}

#[test]
fn sarif_is_valid_against_the_official_schema() {
    let validator = common::sarif_validator();
    let (code, out) = mixed("sarif");
    assert_eq!(code, 2);
    let log: Value = serde_json::from_str(&out).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 3, "{out}");
    let array = results
        .iter()
        .find(|r| r["ruleId"] == "array-items")
        .unwrap();
    assert_eq!(array["level"], "error");
    assert_eq!(
        array["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "spec.yaml"
    );
    assert_eq!(
        array["locations"][0]["physicalLocation"]["region"]["startLine"],
        34
    );
    assert_eq!(
        array["locations"][0]["logicalLocations"][0]["fullyQualifiedName"],
        "#/components/schemas/Item/properties/name"
    );
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let index = array["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(rules[index]["id"], "array-items");
    assert_eq!(rules[index]["defaultConfiguration"]["level"], "error");
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn junit_parses_back() {
    let (_, out) = mixed("junit");
    let junit = common::junit(&out);
    assert_eq!(junit.suites.len(), 1);
    assert_eq!(junit.cases, ["spec.yaml", "missing.yaml"]);
    assert_eq!((junit.failures, junit.errors), (1, 1), "{out}");
    assert!(out.contains("array-items"));
}

#[test]
fn github_annotations_follow_the_workflow_command_format() {
    let (_, out) = mixed("github");
    let line = regex::Regex::new(
        r"^::(error|warning|notice) file=[^,:]+(,line=\d+,col=\d+)?,title=[^,:]+::[^\r\n]+$",
    )
    .unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    for text in &lines {
        assert!(line.is_match(text), "{text}");
    }
    assert!(
        out.contains("::error file=spec.yaml,line=34,col=9,title=array-items::"),
        "{out}"
    );
    assert!(
        out.contains("::notice file=spec.yaml,line=2,col=1,title=info-contact::"),
        "{out}"
    );
}

#[test]
fn human_output_shows_the_source_line_and_a_caret() {
    let (_, out) = mixed("human");
    assert!(out.contains("spec.yaml:34:9 error array-items "), "{out}");
    assert!(
        out.contains("     34 |         name: {type: array}\n        |         ^\n"),
        "{out}"
    );
    assert!(
        out.contains("missing.yaml: error lint: could not check"),
        "{out}"
    );
}
