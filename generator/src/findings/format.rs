//! Turns [`Section`]s into the text CI tools read: human (with the YAML source line under each
//! finding), JSON, SARIF 2.1.0, JUnit XML and GitHub Actions annotations, and decides the exit
//! code. Every verb renders through here; nothing here decides what is wrong, and it prints only
//! what the findings already say (plus source lines of YAML specs, never of messages or HARs).

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use serde_json::{Value, json};

use super::{Finding, Section, Severity};

/// Exit code: nothing at or above the fail-on level.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: a finding at or above the fail-on level.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: something could not be checked.
pub const EXIT_ERROR: u8 = 2;

/// The output format every CI verb takes (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `file:line:col severity rule message`, the source line and a caret under it.
    Human,
    /// The sections as JSON, with a summary and the exit code.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning, most IDEs).
    Sarif,
    /// JUnit XML: one test suite per part, one test case per subject.
    Junit,
    /// GitHub Actions workflow commands (`::error file=..::message`).
    Github,
}

/// What a rule is, for the SARIF driver: its id, one line saying what it requires, and the level
/// it has when no config changes it (`None`: off unless a config turns it on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleInfo {
    pub id: String,
    pub description: String,
    pub default: Option<Severity>,
}

/// Writes rendered text to standard output (with a final newline), reporting a closed pipe or a
/// full disk instead of panicking as `print!` would.
pub fn print(text: &str) -> std::io::Result<()> {
    use std::io::Write as _;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    out.write_all(text.as_bytes())?;
    if !text.is_empty() && !text.ends_with('\n') {
        out.write_all(b"\n")?;
    }
    out.flush()
}

/// Parses `--fail-on` (Spectral's names: `error`, `warn`, `info`, `hint`).
pub fn parse_fail_on(text: &str) -> Result<Severity, String> {
    Severity::parse(text).ok_or_else(|| format!("`{text}` is not one of error, warn, info, hint"))
}

/// The process exit code for these sections: 2 when any could not be checked, 1 when a finding
/// is at or above `fail_on`, else 0.
pub fn exit_code(sections: &[Section], fail_on: Severity) -> u8 {
    if sections.iter().any(|section| section.error.is_some()) {
        EXIT_ERROR
    } else if sections
        .iter()
        .flat_map(|section| &section.findings)
        .any(|finding| finding.severity >= fail_on)
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Renders sections in a format; the SARIF driver lists only the rules that have results.
pub fn render(sections: &[Section], format: Format, fail_on: Severity) -> String {
    render_with_rules(sections, format, fail_on, &[])
}

/// Reports a configuration that could not be read, in the format asked for: the error on
/// standard error for a person, and one `config` section carrying it on standard output, so a CI
/// tool that reads SARIF or JUnit sees why nothing was checked. Returns the exit code (2).
pub fn report_config_error(config: &str, error: &str, format: Format) -> u8 {
    eprintln!("error: {error}");
    let mut section = Section::new(crate::findings::Part::Config, config);
    section.error = Some(error.to_owned());
    let sections = [section];
    if format != Format::Human {
        // A closed pipe changes nothing: the exit code already says the check did not run.
        let _ = print(&render(&sections, format, Severity::Error));
    }
    exit_code(&sections, Severity::Error)
}

/// Renders sections in a format; `rules` (every rule the verb knows) fills the SARIF driver, so
/// a viewer can show the rules that passed too. Rules found in results but missing there are added.
pub fn render_with_rules(
    sections: &[Section],
    format: Format,
    fail_on: Severity,
    rules: &[RuleInfo],
) -> String {
    render_full(sections, format, fail_on, rules, None)
}

/// [`render_with_rules`] with a verb's own summary (HAR entries counted, say) added to the JSON
/// object as `summary`; in human form the verb prints its summary line after this text.
pub fn render_full(
    sections: &[Section],
    format: Format,
    fail_on: Severity,
    rules: &[RuleInfo],
    summary: Option<Value>,
) -> String {
    match format {
        Format::Human => human(sections, fail_on),
        Format::Json => json_text(sections, fail_on, summary),
        Format::Sarif => sarif(sections, rules).to_string(),
        Format::Junit => junit(sections, fail_on),
        Format::Github => github(sections),
    }
}

fn counts(sections: &[Section]) -> BTreeMap<&'static str, usize> {
    let mut counts = BTreeMap::new();
    for severity in [
        Severity::Error,
        Severity::Warn,
        Severity::Info,
        Severity::Hint,
    ] {
        counts.insert(severity.name(), 0);
    }
    for finding in sections.iter().flat_map(|section| &section.findings) {
        *counts.entry(finding.severity.name()).or_default() += 1;
    }
    counts
}

/// Source lines are shown for YAML files only: a spec's text is ours to print, but a HAR or a
/// sample (JSON) may hold the very secrets the findings are careful not to repeat.
fn shows_source(file: &str) -> bool {
    let lower = file.to_ascii_lowercase();
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// The status word of a section in human output: could not check, fails, passes, was skipped
/// (every finding says so, as a HAR entry for a host no spec serves), or passes with notes.
fn status(section: &Section, fail_on: Severity) -> &'static str {
    if section.error.is_some() {
        "ERROR"
    } else if section.worst().is_some_and(|worst| worst >= fail_on) {
        "FAIL"
    } else if section.findings.is_empty() {
        "ok"
    } else if section
        .findings
        .iter()
        .all(|finding| finding.rule.ends_with("-skipped"))
    {
        "skip"
    } else {
        "note"
    }
}

fn human(sections: &[Section], fail_on: Severity) -> String {
    let mut out = String::new();
    let mut texts: HashMap<String, Option<String>> = HashMap::new();
    for section in sections {
        let _ = writeln!(
            out,
            "{:<5} {} {}",
            status(section, fail_on),
            section.part.name(),
            section.subject
        );
        if let Some(error) = &section.error {
            let _ = writeln!(
                out,
                "  {}: error {}: could not check: {error}",
                section.subject,
                section.part.name()
            );
        }
        for finding in &section.findings {
            let place = match &finding.location {
                Some(location) => match (location.line, location.column) {
                    (Some(line), Some(column)) => format!("{}:{line}:{column}", location.file),
                    (Some(line), None) => format!("{}:{line}", location.file),
                    _ => location.file.clone(),
                },
                None => section.subject.clone(),
            };
            let _ = writeln!(
                out,
                "  {place} {} {} {}",
                finding.severity.name(),
                finding.rule,
                finding.message
            );
            if let Some(location) = &finding.location {
                if !location.pointer.is_empty() {
                    let _ = writeln!(out, "    at #{}", location.pointer);
                }
                if let (Some(line), true) = (location.line, shows_source(&location.file)) {
                    let text = texts
                        .entry(location.file.clone())
                        .or_insert_with(|| std::fs::read_to_string(&location.file).ok());
                    if let Some(source) =
                        text.as_deref().and_then(|text| text.lines().nth(line - 1))
                    {
                        let column = location.column.unwrap_or(1).max(1);
                        // The caret counts characters, not bytes, so it stands under the node.
                        let pad: String = source
                            .chars()
                            .take(column - 1)
                            .map(|c| if c == '\t' { '\t' } else { ' ' })
                            .collect();
                        let _ = writeln!(out, "  {line:>5} | {source}");
                        let _ = writeln!(out, "        | {pad}^");
                    }
                }
            }
        }
    }
    let counts = counts(sections);
    let failed = sections
        .iter()
        .filter(|section| {
            section.error.is_some() || section.worst().is_some_and(|worst| worst >= fail_on)
        })
        .count();
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} info, {} hint(s) in {} subject(s); {} failed at --fail-on {}",
        counts["error"],
        counts["warn"],
        counts["info"],
        counts["hint"],
        sections.len(),
        failed,
        fail_on.name()
    );
    out
}

fn json_text(sections: &[Section], fail_on: Severity, summary: Option<Value>) -> String {
    // Serialized straight from the sections (not through a `Value` tree): a HAR report of
    // 100,000 entries would otherwise be built twice in memory.
    #[derive(serde::Serialize)]
    struct Report<'a> {
        sections: &'a [Section],
        counts: BTreeMap<&'static str, usize>,
        fail_on: &'static str,
        exit_code: u8,
        #[serde(skip_serializing_if = "Option::is_none")]
        summary: Option<Value>,
    }
    let report = Report {
        sections,
        counts: counts(sections),
        fail_on: fail_on.name(),
        exit_code: exit_code(sections, fail_on),
        summary,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".to_owned())
}

fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warn => "warning",
        Severity::Info | Severity::Hint => "note",
    }
}

/// A file path as a SARIF artifact URI: a relative URI reference with `/` separators and the
/// characters a URI cannot hold percent-encoded.
fn artifact_uri(file: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'.')
        .remove(b'-')
        .remove(b'_')
        .remove(b'~');
    let file = file.replace('\\', "/");
    percent_encoding::utf8_percent_encode(&file, KEEP).to_string()
}

fn sarif(sections: &[Section], known: &[RuleInfo]) -> Value {
    let mut rules: Vec<RuleInfo> = known.to_vec();
    for finding in sections.iter().flat_map(|section| &section.findings) {
        if !rules.iter().any(|rule| rule.id == finding.rule) {
            rules.push(RuleInfo {
                id: finding.rule.clone(),
                description: finding.rule.clone(),
                default: Some(finding.severity),
            });
        }
    }
    let index: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(at, rule)| (rule.id.as_str(), at))
        .collect();
    let driver_rules: Vec<Value> = rules
        .iter()
        .map(|rule| {
            let configuration = match rule.default {
                Some(severity) => json!({ "level": sarif_level(severity) }),
                None => json!({ "enabled": false, "level": "warning" }),
            };
            json!({
                "id": rule.id,
                "shortDescription": { "text": rule.description },
                "defaultConfiguration": configuration,
            })
        })
        .collect();
    let results: Vec<Value> = sections
        .iter()
        .flat_map(|section| section.findings.iter().map(move |f| (section, f)))
        .map(|(section, finding)| sarif_result(section, finding, &index))
        .collect();
    let notifications: Vec<Value> = sections
        .iter()
        .filter_map(|section| {
            section.error.as_ref().map(|error| {
                json!({
                    "level": "error",
                    "message": { "text": format!("{} ({}): {error}", section.subject, section.part.name()) },
                })
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "contract",
                "version": env!("CARGO_PKG_VERSION"),
                "rules": driver_rules,
            }},
            "invocations": [{
                "executionSuccessful": notifications.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    })
}

fn sarif_result(section: &Section, finding: &Finding, index: &HashMap<&str, usize>) -> Value {
    let mut result = json!({
        "ruleId": finding.rule,
        "level": sarif_level(finding.severity),
        "message": { "text": finding.message },
    });
    if let Some(at) = index.get(finding.rule.as_str()) {
        result["ruleIndex"] = json!(at);
    }
    let file = finding
        .location
        .as_ref()
        .map_or(section.subject.as_str(), |location| location.file.as_str());
    let mut physical = json!({ "artifactLocation": { "uri": artifact_uri(file) } });
    if let Some(location) = &finding.location
        && let Some(line) = location.line
    {
        let mut region = json!({ "startLine": line.max(1) });
        if let Some(column) = location.column {
            region["startColumn"] = json!(column.max(1));
        }
        physical["region"] = region;
    }
    let mut place = json!({ "physicalLocation": physical });
    if let Some(location) = &finding.location {
        place["logicalLocations"] = json!([{
            "fullyQualifiedName": format!("#{}", location.pointer),
            "kind": "member",
        }]);
    }
    result["locations"] = json!([place]);
    result
}

fn junit(sections: &[Section], fail_on: Severity) -> String {
    let mut parts: BTreeMap<&'static str, Vec<&Section>> = BTreeMap::new();
    for section in sections {
        parts.entry(section.part.name()).or_default().push(section);
    }
    let failing = |section: &Section| {
        section.error.is_none() && section.worst().is_some_and(|worst| worst >= fail_on)
    };
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail; the results are checked only so nothing is silently lost.
    let mut emit = |event: Event| writer.write_event(event).is_ok();
    let mut ok = emit(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));
    let total_failures = sections.iter().filter(|s| failing(s)).count();
    let total_errors = sections.iter().filter(|s| s.error.is_some()).count();
    let mut root = BytesStart::new("testsuites");
    root.push_attribute(("name", "contract"));
    root.push_attribute(("tests", sections.len().to_string().as_str()));
    root.push_attribute(("failures", total_failures.to_string().as_str()));
    root.push_attribute(("errors", total_errors.to_string().as_str()));
    ok &= emit(Event::Start(root));
    for (part, members) in &parts {
        let mut suite = BytesStart::new("testsuite");
        suite.push_attribute(("name", *part));
        suite.push_attribute(("tests", members.len().to_string().as_str()));
        let failures = members.iter().filter(|s| failing(s)).count();
        let errors = members.iter().filter(|s| s.error.is_some()).count();
        suite.push_attribute(("failures", failures.to_string().as_str()));
        suite.push_attribute(("errors", errors.to_string().as_str()));
        ok &= emit(Event::Start(suite));
        for section in members {
            let mut case = BytesStart::new("testcase");
            case.push_attribute(("name", section.subject.as_str()));
            case.push_attribute(("classname", format!("contract.{part}").as_str()));
            ok &= emit(Event::Start(case));
            if let Some(error) = &section.error {
                let mut element = BytesStart::new("error");
                element.push_attribute(("message", error.as_str()));
                element.push_attribute(("type", "could-not-check"));
                ok &= emit(Event::Empty(element));
            }
            let (above, below): (Vec<&Finding>, Vec<&Finding>) = section
                .findings
                .iter()
                .partition(|finding| finding.severity >= fail_on);
            if section.error.is_none() && !above.is_empty() {
                let mut element = BytesStart::new("failure");
                let message = format!("{} finding(s) at or above {}", above.len(), fail_on.name());
                element.push_attribute(("message", message.as_str()));
                element.push_attribute(("type", above[0].rule.as_str()));
                ok &= emit(Event::Start(element));
                let text = finding_lines(&above);
                ok &= emit(Event::Text(BytesText::new(&text)));
                ok &= emit(Event::End(BytesEnd::new("failure")));
            }
            if !below.is_empty() {
                ok &= emit(Event::Start(BytesStart::new("system-out")));
                ok &= emit(Event::Text(BytesText::new(&finding_lines(&below))));
                ok &= emit(Event::End(BytesEnd::new("system-out")));
            }
            ok &= emit(Event::End(BytesEnd::new("testcase")));
        }
        ok &= emit(Event::End(BytesEnd::new("testsuite")));
    }
    ok &= emit(Event::End(BytesEnd::new("testsuites")));
    debug_assert!(ok, "writing XML into memory failed");
    let mut text = String::from_utf8(writer.into_inner()).unwrap_or_default();
    text.push('\n');
    text
}

fn finding_lines(findings: &[&Finding]) -> String {
    let mut text = String::new();
    for finding in findings {
        let place = finding.location.as_ref().map_or(String::new(), |location| {
            format!(
                "{}:{}:{} #{} ",
                location.file,
                location.line.unwrap_or(0),
                location.column.unwrap_or(0),
                location.pointer
            )
        });
        let _ = writeln!(
            text,
            "{place}{} {}: {}",
            finding.severity.name(),
            finding.rule,
            finding.message
        );
    }
    text
}

/// Escapes a workflow command's message (GitHub's rules: `%`, CR, LF).
pub fn escape_github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property value (the message's rules plus `:` and `,`).
pub fn escape_github_property(text: &str) -> String {
    escape_github_data(text)
        .replace(':', "%3A")
        .replace(',', "%2C")
}

fn github(sections: &[Section]) -> String {
    let mut out = String::new();
    for section in sections {
        if let Some(error) = &section.error {
            let _ = writeln!(
                out,
                "::error file={},title={}::{}",
                escape_github_property(&section.subject),
                escape_github_property(&format!("{} could not check", section.part.name())),
                escape_github_data(error)
            );
        }
        for finding in &section.findings {
            let command = match finding.severity {
                Severity::Error => "error",
                Severity::Warn => "warning",
                Severity::Info | Severity::Hint => "notice",
            };
            let mut properties = Vec::new();
            match &finding.location {
                Some(location) => {
                    properties.push(format!("file={}", escape_github_property(&location.file)));
                    if let Some(line) = location.line {
                        properties.push(format!("line={line}"));
                    }
                    if let Some(column) = location.column {
                        properties.push(format!("col={column}"));
                    }
                }
                None => {
                    properties.push(format!("file={}", escape_github_property(&section.subject)))
                }
            }
            properties.push(format!("title={}", escape_github_property(&finding.rule)));
            let message = match &finding.location {
                Some(location) if !location.pointer.is_empty() => {
                    format!("{} (at #{})", finding.message, location.pointer)
                }
                _ => finding.message.clone(),
            };
            let _ = writeln!(
                out,
                "::{command} {}::{}",
                properties.join(","),
                escape_github_data(&message)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{Location, Part};

    fn sample() -> Vec<Section> {
        let mut section = Section::new(Part::Lint, "specs/a.yaml");
        section.findings.push(Finding {
            rule: "info-contact".to_owned(),
            severity: Severity::Warn,
            message: "needs: a, b\nand 100%".to_owned(),
            location: Some(Location {
                file: "specs/a b.yaml".to_owned(),
                pointer: "/info".to_owned(),
                line: Some(2),
                column: Some(1),
            }),
            related: Vec::new(),
            operation: None,
        });
        let mut broken = Section::new(Part::Lint, "specs/b.yaml");
        broken.error = Some("no such file".to_owned());
        vec![section, broken]
    }

    #[test]
    fn exit_codes_follow_fail_on_and_errors() {
        let sections = sample();
        assert_eq!(exit_code(&sections, Severity::Warn), EXIT_ERROR);
        assert_eq!(exit_code(&sections[..1], Severity::Warn), EXIT_FINDINGS);
        assert_eq!(exit_code(&sections[..1], Severity::Error), EXIT_CLEAN);
        assert_eq!(exit_code(&[], Severity::Hint), EXIT_CLEAN);
    }

    #[test]
    fn github_escapes_data_and_properties() {
        let text = render(&sample(), Format::Github, Severity::Error);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2, "{text}");
        assert_eq!(
            lines[1],
            "::error file=specs/b.yaml,title=lint could not check::no such file"
        );
        assert!(text.contains(
            "::warning file=specs/a b.yaml,line=2,col=1,title=info-contact::needs: a, b%0Aand 100%25 (at #/info)"
        ));
        assert_eq!(escape_github_property("a:b,c"), "a%3Ab%2Cc");
    }

    #[test]
    fn sarif_uri_is_encoded() {
        assert_eq!(artifact_uri("specs\\a b.yaml"), "specs/a%20b.yaml");
    }
}
