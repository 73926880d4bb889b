//! `contract publish`: the partner kit. Per spec, one folder with the partner copies (OpenAPI
//! 3.0.3 bundled and 3.1.0 converted, `publish::bundle`), the documentation site
//! (`publish::docs`), the changelog against a base (`diff::changelog`), and beside the folders
//! one deterministic `.tar.gz` per spec with `SHA256SUMS`. It composes the other publishing
//! stages and decides nothing they decide; it writes only under `--out`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::diff::source::{Input, SourceError};
use crate::publish::{archive, bundle, docs};
use crate::spec::Spec;

/// A file in `--out` that says the folder is ours, so a second run may replace what is in it.
const MARKER: &str = ".contract-publish";

#[derive(Debug, Args)]
pub struct PublishArgs {
    /// Specs to publish. Default: every *.yaml in specs/.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// The folder the kit is written to (created; a folder written by an earlier
    /// `contract publish` is replaced, any other non-empty folder is refused).
    #[arg(long, value_name = "DIR", default_value = "dist")]
    pub out: PathBuf,
    /// The git ref partners last received (`v1.0.0`, `origin/main`): the changelog is the diff
    /// from each spec there. Without it the changelog says this is the first publication.
    #[arg(long, value_name = "REF")]
    pub base: Option<String>,
    /// Keep our internal extensions (`x-doc-discrepancies`, `x-source`) in the partner copies.
    #[arg(long)]
    pub keep_internal: bool,
}

/// Why the kit could not be written; nothing is left half-written under `--out` then.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    #[error("{0}")]
    Usage(String),
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Bundle(Vec<bundle::BundleError>),
    #[error("{0}")]
    Docs(#[from] docs::DocsError),
    #[error("changelog: {0}")]
    Changelog(#[from] SourceError),
    #[error("{0}")]
    Archive(#[from] archive::ArchiveError),
    #[error("{path}: {source}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PublishError + '_ {
    move |source| PublishError::Io {
        path: path.display().to_string(),
        source,
    }
}

/// What was published for one spec.
#[derive(Debug, Clone)]
pub struct Published {
    pub name: String,
    pub version: String,
    pub folder: PathBuf,
    pub archive: PathBuf,
    pub sha256: String,
    /// The semver consequence against the base, when there was one to compare with.
    pub semver: Option<&'static str>,
}

/// The changelog of one spec against `base` (Markdown and JSON), or a first-publication note.
fn changelog(
    spec: &Path,
    base: Option<&str>,
) -> Result<(String, String, Option<&'static str>), PublishError> {
    let loaded = Input::File(spec.to_owned()).load()?;
    let version = loaded
        .spec
        .document
        .pointer("/info/version")
        .and_then(serde_json::Value::as_str)
        .unwrap_or("(no version)")
        .to_owned();
    let first = |why: String| {
        let title = loaded
            .spec
            .document
            .pointer("/info/title")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned();
        (
            format!("# Changelog: {title}\n\nVersion {version}: {why}\n"),
            serde_json::json!({ "version": version, "first_publication": true, "reason": why })
                .to_string(),
            None,
        )
    };
    let Some(base) = base else {
        return Ok(first("first publication (no base was given).".to_owned()));
    };
    let old = Input::at_ref(base, spec);
    match old.load() {
        Ok(old) => {
            let diff = crate::diff::compare(&old, &loaded);
            Ok((
                crate::diff::changelog::markdown(&diff),
                crate::diff::changelog::json(&diff),
                Some(diff.semver.name()),
            ))
        }
        Err(SourceError::NotAtRef { .. }) => {
            Ok(first(format!("first publication (not present at {base}).")))
        }
        Err(error) => Err(error.into()),
    }
}

/// Empties `out` if an earlier run wrote it, creates it if missing, refuses anything else.
fn prepare(out: &Path) -> Result<(), PublishError> {
    if out.exists() {
        let mut entries = std::fs::read_dir(out).map_err(io(out))?;
        if entries.next().is_some() && !out.join(MARKER).is_file() {
            return Err(PublishError::Usage(format!(
                "{} is not empty and was not written by `contract publish`; choose another --out",
                out.display()
            )));
        }
        std::fs::remove_dir_all(out).map_err(io(out))?;
    }
    std::fs::create_dir_all(out).map_err(io(out))?;
    std::fs::write(out.join(MARKER), "written by `contract publish`\n").map_err(io(out))
}

/// Writes the kit of every spec. Everything is made in a staging folder beside `out` first, so
/// an error leaves `out` as it was.
pub fn publish(
    specs: &[PathBuf],
    out: &Path,
    base: Option<&str>,
    keep_internal: bool,
) -> Result<Vec<Published>, PublishError> {
    if specs.is_empty() {
        return Err(PublishError::Usage(
            "no spec given and no *.yaml in specs/".to_owned(),
        ));
    }
    let parent = out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(io(parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".contract-publish-")
        .tempdir_in(parent)
        .map_err(io(parent))?;
    let mut published = Vec::new();
    let mut sums = Vec::new();
    for spec in specs {
        let loaded = Spec::load(spec)
            .map_err(|error| PublishError::Bundle(vec![bundle::BundleError::from(error)]))?;
        let name = loaded.name();
        let version = loaded.openapi.info.version.clone();
        let folder_name = format!("{name}-{version}");
        let folder = staging.path().join(&folder_name);
        bundle::publish(
            std::slice::from_ref(spec),
            &folder,
            keep_internal,
            bundle::Versions::Both,
        )
        .map_err(PublishError::Bundle)?;
        docs::build(std::slice::from_ref(spec), &folder.join("docs"))?;
        let (markdown, json, semver) = changelog(spec, base)?;
        std::fs::write(folder.join("CHANGELOG.md"), markdown).map_err(io(&folder))?;
        std::fs::write(folder.join("CHANGELOG.json"), json).map_err(io(&folder))?;
        let archive_name = format!("{folder_name}.tar.gz");
        let sha256 = archive::write(&folder, &folder_name, &staging.path().join(&archive_name))?;
        sums.push((sha256.clone(), archive_name.clone()));
        published.push(Published {
            name,
            version,
            folder: out.join(&folder_name),
            archive: out.join(&archive_name),
            sha256,
            semver,
        });
    }
    archive::write_sums(&staging.path().join("SHA256SUMS"), &sums)?;
    prepare(out)?;
    for entry in std::fs::read_dir(staging.path()).map_err(io(staging.path()))? {
        let entry = entry.map_err(io(staging.path()))?;
        let target = out.join(entry.file_name());
        std::fs::rename(entry.path(), &target).map_err(io(&target))?;
    }
    Ok(published)
}

/// `contract publish`: prints what was written; exit 0, or 2 with the error.
pub fn run(args: &PublishArgs) -> ExitCode {
    let specs = if args.specs.is_empty() {
        crate::lint::default_specs()
    } else {
        args.specs.clone()
    };
    match publish(&specs, &args.out, args.base.as_deref(), args.keep_internal) {
        Ok(published) => {
            for kit in &published {
                println!(
                    "{} {}: {} and {} (sha256 {}){}",
                    kit.name,
                    kit.version,
                    kit.folder.display(),
                    kit.archive.display(),
                    kit.sha256,
                    kit.semver
                        .map(|bump| format!("; {bump} change since the base"))
                        .unwrap_or_default()
                );
            }
            println!("{}", args.out.join("SHA256SUMS").display());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(crate::findings::format::EXIT_ERROR)
        }
    }
}
