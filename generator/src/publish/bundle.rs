//! `contract bundle`: one self-contained partner copy of each spec, in OpenAPI 3.0.3 and 3.1.0.
//! External `$ref`s are inlined by `spec::bundle` (through `Spec::load`, the one bundler),
//! internal `#/...` refs and key order are kept, the extension policy (`policy`) is applied,
//! and the 3.1 copy comes from `openapi31`. It never writes into a spec's folder, and it writes
//! nothing at all unless every copy of every spec was made.
//!
//! Both versions are written as YAML (`<name>.openapi-3.0.yaml`, `<name>.openapi-3.1.yaml`):
//! the specs are written in YAML, every partner tool (Swagger UI, Redocly, Scalar, code
//! generators) reads it, and long descriptions stay readable and diff line by line. A JSON twin
//! would only be a second file with the same content to keep in step.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use serde_json::Value;

use crate::error::{Diagnostic, SpecError};
use crate::publish::{openapi31, policy};
use crate::spec::Spec;
use crate::spec::spans::SourceMap;

/// Exit code: every copy written.
pub const EXIT_WRITTEN: u8 = 0;
/// Exit code: some spec could not be published; nothing was written.
pub const EXIT_ERROR: u8 = 2;

/// Which OpenAPI versions to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Versions {
    #[value(name = "3.0")]
    V30,
    #[value(name = "3.1")]
    V31,
    Both,
}

impl Versions {
    fn includes_30(self) -> bool {
        matches!(self, Versions::V30 | Versions::Both)
    }

    fn includes_31(self) -> bool {
        matches!(self, Versions::V31 | Versions::Both)
    }
}

#[derive(Debug, Args)]
pub struct BundleArgs {
    /// The specs to publish. Default: every *.yaml in specs/.
    #[arg(value_name = "SPEC")]
    pub specs: Vec<PathBuf>,
    /// The folder that receives `<name>.openapi-3.0.yaml` and `<name>.openapi-3.1.yaml`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Keep our internal extensions (x-doc-discrepancies, x-source, x-source-document).
    #[arg(long)]
    pub keep_internal: bool,
    /// Which OpenAPI versions to write.
    #[arg(long, value_enum, default_value_t = Versions::Both)]
    pub version: Versions,
}

/// A spec that cannot be published, with where.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// A defect the loader read leniently: a partner copy must not carry our guess.
    #[error(
        "{path}{}: at #{pointer}: {message}; fix the spec before publishing it",
        location(*line, *column)
    )]
    Defect {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        pointer: String,
        message: String,
    },
    #[error(
        "{path}{}: at #{pointer}: extension `{key}` has no publishing policy; decide in \
         generator/src/publish/policy.rs (partner or internal) and document it in specs/README.md",
        location(*line, *column)
    )]
    UnknownExtension {
        path: PathBuf,
        line: Option<usize>,
        column: Option<usize>,
        pointer: String,
        key: String,
    },
    #[error("{path}: at #{pointer}: cannot convert to OpenAPI 3.1: {message}")]
    Convert {
        path: PathBuf,
        pointer: String,
        message: String,
    },
    #[error("{path}: {message}")]
    Output { path: PathBuf, message: String },
    #[error("{0}")]
    Usage(String),
}

fn location(line: Option<usize>, column: Option<usize>) -> String {
    match (line, column) {
        (Some(line), Some(column)) => format!(":{line}:{column}"),
        (Some(line), None) => format!(":{line}"),
        _ => String::new(),
    }
}

/// One file of a partner copy, made in memory.
#[derive(Debug, Clone)]
pub struct Output {
    /// `<name>.openapi-3.0.yaml` or `<name>.openapi-3.1.yaml`.
    pub file_name: String,
    /// The document written.
    pub document: Value,
    /// Its YAML text.
    pub text: String,
}

/// The partner copies of one spec.
#[derive(Debug, Clone)]
pub struct Bundled {
    pub spec: PathBuf,
    pub name: String,
    pub outputs: Vec<Output>,
    /// Remote `$ref`s kept as written, and what the 3.1 conversion left out because it had no
    /// effect in 3.0.
    pub notes: Vec<Diagnostic>,
}

/// Makes the partner copies of one spec in memory. Every problem is returned, not the first.
pub fn bundle_spec(
    path: &Path,
    keep_internal: bool,
    versions: Versions,
) -> Result<Bundled, Vec<BundleError>> {
    let spec = Spec::load(path).map_err(|error| vec![BundleError::from(error)])?;
    if !spec.diagnostics.is_empty() {
        let source = SourceMap::load(path);
        return Err(spec
            .diagnostics
            .iter()
            .map(|diagnostic| {
                let span = source.locate(&diagnostic.pointer);
                BundleError::Defect {
                    path: path.to_owned(),
                    line: span.map(|span| span.line),
                    column: span.map(|span| span.column),
                    pointer: diagnostic.pointer.clone(),
                    message: diagnostic.message.clone(),
                }
            })
            .collect());
    }
    let name = spec.name();
    let mut document = spec.document;
    // Remote references are not fetched (no network here); partners must be told.
    let remote: Vec<Diagnostic> = crate::spec::bundle::remote_refs(&document)
        .into_iter()
        .map(|pointer| {
            Diagnostic::new(
                pointer,
                "a `$ref` to a remote URL is kept as written: the copy is not self-contained",
            )
        })
        .collect();
    if let Err(unknown) = policy::apply(&mut document, keep_internal) {
        let source = SourceMap::load(path);
        return Err(unknown
            .into_iter()
            .map(|item| {
                let span = source.locate(&item.pointer);
                BundleError::UnknownExtension {
                    path: path.to_owned(),
                    line: span.map(|span| span.line),
                    column: span.map(|span| span.column),
                    pointer: item.pointer,
                    key: item.key,
                }
            })
            .collect());
    }
    let mut outputs = Vec::new();
    let mut notes = remote;
    let header = |version: &str| {
        format!(
            "# {name}: OpenAPI {version}, made by `contract bundle` from {}{}.\n\
             # Do not edit: change the spec and run `contract bundle` again.\n",
            path.display(),
            if keep_internal {
                " with internal extensions kept"
            } else {
                ""
            }
        )
    };
    if versions.includes_30() {
        let file_name = format!("{name}.openapi-3.0.yaml");
        let version = document["openapi"].as_str().unwrap_or("3.0");
        let text = render(path, &header(version), &document).map_err(|error| vec![error])?;
        outputs.push(Output {
            file_name,
            document: document.clone(),
            text,
        });
    }
    if versions.includes_31() {
        let (converted, dropped) = openapi31::convert(&document).map_err(|error| {
            vec![BundleError::Convert {
                path: path.to_owned(),
                pointer: error.pointer,
                message: error.message,
            }]
        })?;
        notes.extend(dropped);
        let file_name = format!("{name}.openapi-3.1.yaml");
        let text =
            render(path, &header(openapi31::VERSION), &converted).map_err(|error| vec![error])?;
        outputs.push(Output {
            file_name,
            document: converted,
            text,
        });
    }
    Ok(Bundled {
        spec: path.to_owned(),
        name,
        outputs,
        notes,
    })
}

/// YAML text of a document, read back to prove nothing was lost in the writing.
fn render(path: &Path, header: &str, document: &Value) -> Result<String, BundleError> {
    let failed = |message: String| BundleError::Output {
        path: path.to_owned(),
        message,
    };
    let body = serde_yaml::to_string(document)
        .map_err(|error| failed(format!("cannot write YAML: {error}")))?;
    let read: Value = serde_yaml::from_str(&body)
        .map_err(|error| failed(format!("the YAML written does not read back: {error}")))?;
    if &read != document {
        return Err(failed(
            "the YAML written reads back as a different document".to_owned(),
        ));
    }
    Ok(format!("{header}{body}"))
}

/// Makes every copy of every spec, then writes them all (each through a temporary file renamed
/// into place), or writes nothing and returns every error.
pub fn publish(
    specs: &[PathBuf],
    out: &Path,
    keep_internal: bool,
    versions: Versions,
) -> Result<Vec<Bundled>, Vec<BundleError>> {
    let mut bundled = Vec::new();
    let mut errors = Vec::new();
    for spec in specs {
        match bundle_spec(spec, keep_internal, versions) {
            Ok(copy) => bundled.push(copy),
            Err(found) => errors.extend(found),
        }
    }
    let mut names: Vec<&str> = bundled.iter().map(|copy| copy.name.as_str()).collect();
    names.sort_unstable();
    if let Some(pair) = names.windows(2).find(|pair| pair[0] == pair[1]) {
        errors.push(BundleError::Usage(format!(
            "two specs are named `{}`; their copies would overwrite each other",
            pair[0]
        )));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    write_all(out, &bundled).map_err(|error| vec![error])?;
    Ok(bundled)
}

fn write_all(out: &Path, bundled: &[Bundled]) -> Result<(), BundleError> {
    let failed = |path: &Path, error: std::io::Error| BundleError::Output {
        path: path.to_owned(),
        message: format!("cannot write: {error}"),
    };
    std::fs::create_dir_all(out).map_err(|error| failed(out, error))?;
    let mut staged: Vec<(PathBuf, PathBuf)> = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (temporary, _) in staged {
            let _ = std::fs::remove_file(temporary);
        }
    };
    for output in bundled.iter().flat_map(|copy| &copy.outputs) {
        let target = out.join(&output.file_name);
        let temporary = out.join(format!(
            ".{}.{}.partial",
            output.file_name,
            std::process::id()
        ));
        if let Err(error) = std::fs::write(&temporary, &output.text) {
            cleanup(&staged);
            let _ = std::fs::remove_file(&temporary);
            return Err(failed(&target, error));
        }
        staged.push((temporary, target));
    }
    for (index, (temporary, target)) in staged.iter().enumerate() {
        if let Err(error) = std::fs::rename(temporary, target) {
            cleanup(&staged[index..]);
            return Err(failed(target, error));
        }
    }
    Ok(())
}

/// `contract bundle`: prints what was written (and notes as warnings); exit 0 or 2.
pub fn run(args: &BundleArgs) -> ExitCode {
    let specs = if args.specs.is_empty() {
        match crate::check::har::specs_in(Path::new("specs")) {
            Ok(specs) if !specs.is_empty() => specs,
            Ok(_) => {
                eprintln!("error: no spec given and no *.yaml in specs/");
                return ExitCode::from(EXIT_ERROR);
            }
            Err(error) => {
                eprintln!("error: no spec given and specs/ cannot be read: {error}");
                return ExitCode::from(EXIT_ERROR);
            }
        }
    } else {
        args.specs.clone()
    };
    match publish(&specs, &args.out, args.keep_internal, args.version) {
        Ok(bundled) => {
            for copy in &bundled {
                for note in &copy.notes {
                    eprintln!("warning: {}: {note}", copy.spec.display());
                }
                let files: Vec<String> = copy
                    .outputs
                    .iter()
                    .map(|output| args.out.join(&output.file_name).display().to_string())
                    .collect();
                println!("{}: {}", copy.spec.display(), files.join(", "));
            }
            ExitCode::from(EXIT_WRITTEN)
        }
        Err(errors) => {
            for error in &errors {
                eprintln!("error: {error}");
            }
            eprintln!("error: nothing written to {}", args.out.display());
            ExitCode::from(EXIT_ERROR)
        }
    }
}
