//! The freshness part of `contract check`: `generated/` must be exactly what `contract generate`
//! makes from the specs now. Crates are rendered in memory and compared with the files on disk;
//! nothing is written (`contract generate` is the fix). One section per generated crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::findings::{Finding, Location, Part, Section, Severity};

const REGENERATE: &str = "run `contract generate`";

fn finding(rule: &str, file: &Path, message: String) -> Finding {
    Finding {
        rule: rule.to_owned(),
        severity: Severity::Error,
        message,
        location: Some(Location {
            file: file.display().to_string(),
            pointer: String::new(),
            line: None,
            column: None,
        }),
        related: Vec::new(),
        operation: None,
    }
}

/// The label `contract generate` writes into each file's header: the spec path relative to the
/// root (`specs/upmoney.yaml`), so the comparison holds wherever the repository is checked out.
fn label(root: &Path, spec: &Path) -> String {
    spec.strip_prefix(root)
        .unwrap_or(spec)
        .components()
        .map(|part| part.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Compares `generated` with a fresh rendering of `specs`. With `all_specs` (the default spec
/// set), a crate folder that no spec makes is reported too.
pub fn check(root: &Path, specs: &[PathBuf], generated: &Path, all_specs: bool) -> Vec<Section> {
    let mut sections = Vec::new();
    let mut expected = BTreeSet::new();
    for spec in specs {
        let rendered = match crate::codegen::generate::render_crates(spec, &label(root, spec)) {
            Ok(rendered) => rendered,
            Err(error) => {
                let mut section = Section::new(Part::Fresh, spec.display().to_string());
                section.error = Some(error.to_string());
                sections.push(section);
                continue;
            }
        };
        for krate in rendered {
            let dir = generated.join(&krate.name);
            expected.insert(krate.name.clone());
            let mut section = Section::new(Part::Fresh, dir.display().to_string());
            for file in &krate.files {
                let on_disk = dir.join(&file.path);
                match std::fs::read_to_string(&on_disk) {
                    Ok(text) if text == file.contents => {}
                    Ok(_) => section.findings.push(finding(
                        "fresh-differs",
                        &on_disk,
                        format!("differs from a fresh generation; {REGENERATE}"),
                    )),
                    Err(_) => section.findings.push(finding(
                        "fresh-missing",
                        &on_disk,
                        format!("is missing; {REGENERATE}"),
                    )),
                }
            }
            let made: BTreeSet<&str> = krate.files.iter().map(|file| file.path.as_str()).collect();
            // Every file under the generated folders, at any depth, is one the generator makes.
            let mut folders = vec!["src".to_owned(), "examples".to_owned()];
            while let Some(folder) = folders.pop() {
                let Ok(read) = std::fs::read_dir(dir.join(&folder)) else {
                    continue;
                };
                let mut entries: Vec<_> = read.filter_map(Result::ok).collect();
                entries.sort_by_key(std::fs::DirEntry::file_name);
                for entry in entries {
                    let relative = format!("{folder}/{}", entry.file_name().to_string_lossy());
                    if entry.path().is_dir() {
                        folders.push(relative);
                    } else if !made.contains(relative.as_str()) {
                        section.findings.push(finding(
                            "fresh-stale",
                            &entry.path(),
                            format!("is not made by the generator; {REGENERATE}"),
                        ));
                    }
                }
            }
            sections.push(section);
        }
    }
    if all_specs && let Ok(read) = std::fs::read_dir(generated) {
        let mut names: Vec<String> = read
            .filter_map(Result::ok)
            .filter(|entry| entry.path().is_dir())
            .map(|entry| entry.file_name().to_string_lossy().into_owned())
            .filter(|name| !expected.contains(name))
            .collect();
        names.sort();
        for name in names {
            let dir = generated.join(&name);
            let mut section = Section::new(Part::Fresh, dir.display().to_string());
            section.findings.push(finding(
                "fresh-orphan",
                &dir,
                format!("no spec makes this crate; remove it or {REGENERATE}"),
            ));
            sections.push(section);
        }
    }
    sections
}
