//! A minimal rendering of [`Section`]s (human and JSON) and the exit code they add up to, for
//! `validate --har` and `check` until the shared renderer (`findings::format`, with SARIF, JUnit
//! and GitHub annotations) takes over. It must stay small and replaceable: it decides no
//! verdicts and prints only what sections hold (which never includes a secret).

use std::io::Write;

use crate::cli::{EXIT_CONFORMS, EXIT_ERROR, EXIT_VIOLATIONS, Format};
use crate::findings::{Finding, Section, Severity};

/// 0 when nothing reaches `fail_on`, 1 when a finding does, 2 when a subject could not be checked.
pub fn exit_code(sections: &[Section], fail_on: Severity) -> u8 {
    if sections.iter().any(|section| section.error.is_some()) {
        EXIT_ERROR
    } else if sections
        .iter()
        .any(|section| section.worst().is_some_and(|worst| worst >= fail_on))
    {
        EXIT_VIOLATIONS
    } else {
        EXIT_CONFORMS
    }
}

/// Writes the sections; `extra` is added to the JSON object (a summary) and printed last in
/// human form by the caller.
pub fn write(
    out: &mut impl Write,
    sections: &[Section],
    format: Format,
    fail_on: Severity,
    extra: Option<(&str, serde_json::Value)>,
) -> std::io::Result<()> {
    match format {
        Format::Human => {
            for section in sections {
                write_human(out, section, fail_on)?;
            }
            Ok(())
        }
        Format::Json => {
            let mut object = serde_json::Map::new();
            object.insert(
                "sections".to_owned(),
                serde_json::to_value(sections).map_err(std::io::Error::other)?,
            );
            if let Some((key, value)) = extra {
                object.insert(key.to_owned(), value);
            }
            serde_json::to_writer_pretty(&mut *out, &object).map_err(std::io::Error::other)?;
            writeln!(out)
        }
    }
}

fn write_human(out: &mut impl Write, section: &Section, fail_on: Severity) -> std::io::Result<()> {
    let tag = if section.error.is_some() {
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
    };
    writeln!(out, "{tag:<5} {} {}", section.part.name(), section.subject)?;
    if let Some(error) = &section.error {
        writeln!(out, "  error: {error}")?;
    }
    for finding in &section.findings {
        write_finding(out, finding)?;
    }
    Ok(())
}

fn write_finding(out: &mut impl Write, finding: &Finding) -> std::io::Result<()> {
    write!(
        out,
        "  {} [{}] {}",
        finding.severity.name(),
        finding.rule,
        finding.message
    )?;
    if let Some(location) = &finding.location {
        match (location.line, location.column) {
            (Some(line), Some(column)) => write!(out, " ({}:{line}:{column})", location.file)?,
            _ => write!(out, " ({}#{})", location.file, location.pointer)?,
        }
    }
    writeln!(out)
}
