//! Every sample in every manifest gets its expected verdict, with exactly the expected violations,
//! through the same library calls as `contract validate`.

use std::collections::BTreeSet;

use conformance::{
    Origin, Outcome, Verdict, check_entry, load_manifest, provider_specs, samples_dir, specs_dir,
};
use contract::check::contract::Contract;

#[test]
fn every_sample_gets_its_expected_verdict() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (provider, spec_path) in provider_specs() {
        let manifest = load_manifest(&provider);
        assert_eq!(
            specs_dir().join(&manifest.spec),
            spec_path,
            "{provider}: manifest names another spec"
        );
        let contract = Contract::load(&spec_path).unwrap_or_else(|error| panic!("{error}"));
        for entry in &manifest.samples {
            checked += 1;
            let outcome = check_entry(&contract, &provider, entry);
            let name = format!("{provider}/{}", entry.file);
            match (&outcome, entry.verdict, entry.malformed) {
                (Outcome::Malformed(error), Verdict::KnownInvalid, true) => {
                    assert!(error.to_string().contains(':'), "{error}");
                }
                (Outcome::Malformed(error), _, _) => {
                    failures.push(format!("{name}: unexpectedly not JSON: {error}"))
                }
                (Outcome::Checked(_), _, true) => {
                    failures.push(format!("{name}: marked malformed, but it parses"))
                }
                (Outcome::Checked(report), Verdict::Valid, false) => {
                    if !report.conforms() {
                        failures.push(format!("{name}: expected valid, got:\n{report}"));
                    }
                }
                (Outcome::Checked(report), Verdict::KnownInvalid, false) => {
                    let expected: BTreeSet<_> = entry.expect.iter().cloned().collect();
                    let found = outcome.violations();
                    if expected.is_empty() {
                        failures.push(format!("{name}: known-invalid with no `expect` list"));
                    } else if expected != found {
                        failures.push(format!(
                            "{name}: expected violations {expected:?}\n  but got {found:?}\n{report}"
                        ));
                    }
                }
            }
        }
    }
    assert!(checked > 100, "only {checked} samples found");
    assert!(
        failures.is_empty(),
        "{} of {checked} samples wrong:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn manifests_are_complete_and_consistent() {
    let mut failures = Vec::new();
    for (provider, _) in provider_specs() {
        let manifest = load_manifest(&provider);
        let dir = samples_dir(&provider);
        let listed: BTreeSet<_> = manifest
            .samples
            .iter()
            .map(|entry| entry.file.clone())
            .collect();
        assert_eq!(
            listed.len(),
            manifest.samples.len(),
            "{provider}: a file is listed twice"
        );
        // Every file on disk is in the manifest: no sample is silently skipped.
        for folder in ["doc", "derived", "negative"] {
            let Ok(read) = std::fs::read_dir(dir.join(folder)) else {
                continue;
            };
            for file in read.filter_map(Result::ok) {
                let relative = format!("{folder}/{}", file.file_name().to_string_lossy());
                if !listed.contains(&relative) {
                    failures.push(format!("{provider}/{relative}: not in manifest.yaml"));
                }
            }
        }
        for entry in &manifest.samples {
            let name = format!("{provider}/{}", entry.file);
            let folder = match entry.origin {
                Origin::Document => "doc/",
                Origin::Derived => "derived/",
                Origin::Negative => "negative/",
            };
            if !entry.file.starts_with(folder) {
                failures.push(format!(
                    "{name}: origin {:?} belongs in {folder}",
                    entry.origin
                ));
            }
            if entry.origin == Origin::Document && entry.location.is_none() {
                failures.push(format!("{name}: a document sample must say `where` it is"));
            }
            if entry.origin == Origin::Derived {
                match &entry.derived_from {
                    Some(source) if listed.contains(source) => {}
                    other => failures.push(format!(
                        "{name}: derived_from {other:?} is not a listed sample"
                    )),
                }
                if entry.change.is_none() {
                    failures.push(format!(
                        "{name}: a derived sample must say what was changed"
                    ));
                }
            }
            if entry.verdict == Verdict::KnownInvalid && entry.reason.is_none() {
                failures.push(format!("{name}: known-invalid needs a reason"));
            }
            if entry.verdict == Verdict::Valid && (!entry.expect.is_empty() || entry.malformed) {
                failures.push(format!("{name}: a valid sample cannot expect violations"));
            }
            if entry.origin == Origin::Negative && entry.verdict != Verdict::KnownInvalid {
                failures.push(format!("{name}: a negative sample must be known-invalid"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Document samples are kept as found: each file's text appears verbatim in its document.
#[test]
fn document_samples_are_verbatim_excerpts() {
    let sources = specs_dir().join("sources");
    let mut failures = Vec::new();
    for (provider, spec_path) in provider_specs() {
        let spec = contract::spec::Spec::load(&spec_path).unwrap_or_else(|error| panic!("{error}"));
        let document_name = spec
            .at("/info/x-source-document")
            .and_then(|value| value.as_str())
            .unwrap_or_else(|| panic!("{provider}: info.x-source-document is missing"))
            .to_owned();
        let document_name = document_name
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_owned();
        let document = std::fs::read_to_string(sources.join(&document_name))
            .unwrap_or_else(|error| panic!("{provider}: {document_name}: {error}"));
        let normalized_document = normalize(&document);
        let manifest = load_manifest(&provider);
        let mut count = 0;
        for entry in manifest
            .samples
            .iter()
            .filter(|entry| entry.origin == Origin::Document)
        {
            count += 1;
            let text = std::fs::read_to_string(samples_dir(&provider).join(&entry.file))
                .unwrap_or_default();
            if !normalized_document.contains(&normalize(&text)) {
                failures.push(format!(
                    "{provider}/{}: not found verbatim in {document_name}",
                    entry.file
                ));
            }
        }
        if count == 0 {
            failures.push(format!("{provider}: no document samples"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Only line endings and the final newline may differ from the document's text.
fn normalize(text: &str) -> String {
    text.replace("\r\n", "\n").trim().to_owned()
}
