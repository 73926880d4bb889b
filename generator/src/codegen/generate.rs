//! `contract generate`: specs in, crates out. Loads each spec, lowers it to the IR, emits the
//! crate files and writes only what changed, removing files a previous run wrote but this one
//! did not. Every spec is rendered before anything is written, so that a name clash or, with
//! `strict`, a diagnostic leaves the output folder untouched.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::codegen::ir::{Api, Diagnostic};
use crate::codegen::naming;
use crate::codegen::validator::{self, EmitError, File};
use crate::error::SpecError;
use crate::spec::Spec;

/// What to generate, as a builder.
///
/// ```no_run
/// let report = contract::codegen::generate::Settings::new()
///     .spec("specs/upmoney.yaml")
///     .out_dir("/tmp/crates")
///     .run()
///     .unwrap();
/// assert_eq!(report.crates[0].name, "upmoney-validator");
/// ```
#[derive(Debug, Clone)]
pub struct Settings {
    specs: Vec<PathBuf>,
    specs_dir: PathBuf,
    out_dir: PathBuf,
    clients: bool,
    name: Option<String>,
    strict: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            specs: Vec::new(),
            specs_dir: PathBuf::from("specs"),
            out_dir: PathBuf::from("generated"),
            clients: true,
            name: None,
            strict: false,
        }
    }
}

/// A generation that could not finish.
#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error(transparent)]
    Emit(#[from] EmitError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("no specs (*.yaml) in {0}; run from the repository root, or pass --spec FILE")]
    NoSpecs(PathBuf),
    /// A crate name given for the run that cannot be used.
    #[error("--name: {0}")]
    Name(String),
    /// Two specs would write the same crates.
    #[error(
        "{first} and {second} both give crates named `{name}-*`; generate one of them on its own \
         with --spec FILE --name NAME"
    )]
    NameClash {
        name: String,
        first: String,
        second: String,
    },
    /// `strict` and the specs have diagnostics (the error lists them); nothing was written.
    #[error("{} diagnostic(s) with --strict; nothing was written", .0.len())]
    Strict(Vec<SpecDiagnostic>),
}

/// A diagnostic of one spec, from any stage (spec, lowering, validator, client). Displays as
/// `file: #pointer: message`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct SpecDiagnostic {
    /// How the spec is named (see [`spec_label`]).
    pub spec: String,
    /// JSON pointer into the spec.
    pub pointer: String,
    pub message: String,
}

impl fmt::Display for SpecDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: #{}: {}", self.spec, self.pointer, self.message)
    }
}

/// One generated crate.
#[derive(Debug, Clone)]
pub struct CrateReport {
    pub name: String,
    pub dir: PathBuf,
    pub spec: String,
    /// Files written because they changed (or were new).
    pub written: usize,
    pub unchanged: usize,
    pub removed: usize,
    /// Constructs not expressed yet; the rest of the crate was generated.
    pub diagnostics: Vec<Diagnostic>,
}

/// What a run did.
#[derive(Debug, Clone, Default)]
pub struct Report {
    pub crates: Vec<CrateReport>,
    /// Every stage's diagnostics for every spec, each once, in spec order then pointer order.
    pub diagnostics: Vec<SpecDiagnostic>,
}

impl Settings {
    pub fn new() -> Settings {
        Settings::default()
    }

    /// Generates from this spec only (may be called again for more); without it, every
    /// `*.yaml` in the specs folder.
    pub fn spec(mut self, path: impl Into<PathBuf>) -> Settings {
        self.specs.push(path.into());
        self
    }

    /// The folder searched when no spec is named (default `specs`).
    pub fn specs_dir(mut self, dir: impl Into<PathBuf>) -> Settings {
        self.specs_dir = dir.into();
        self
    }

    /// The folder that receives the crates (default `generated`).
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Settings {
        self.out_dir = dir.into();
        self
    }

    /// Whether to write each spec's client crate next to its validator crate (default true).
    pub fn clients(mut self, clients: bool) -> Settings {
        self.clients = clients;
        self
    }

    /// The crate base name for the one spec of this run (`NAME-validator`, `NAME-client`);
    /// without it, the name comes from the spec's file name ([`naming::crate_base_name`]).
    pub fn name(mut self, name: impl Into<String>) -> Settings {
        self.name = Some(name.into());
        self
    }

    /// Whether diagnostics are errors: the run then fails with [`GenerateError::Strict`] and
    /// writes nothing (default false: they are reported and the rest is generated).
    pub fn strict(mut self, strict: bool) -> Settings {
        self.strict = strict;
        self
    }

    /// The specs this run will read, in name order.
    pub fn spec_paths(&self) -> Result<Vec<PathBuf>, GenerateError> {
        if !self.specs.is_empty() {
            return Ok(self.specs.clone());
        }
        let read = std::fs::read_dir(&self.specs_dir).map_err(|source| GenerateError::Io {
            path: self.specs_dir.clone(),
            source,
        })?;
        let mut specs: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext == "yaml" || ext == "yml")
            })
            .collect();
        specs.sort();
        if specs.is_empty() {
            return Err(GenerateError::NoSpecs(self.specs_dir.clone()));
        }
        Ok(specs)
    }

    /// Generates every crate and writes it under the output folder.
    pub fn run(&self) -> Result<Report, GenerateError> {
        let spec_paths = self.spec_paths()?;
        if let Some(name) = &self.name {
            naming::check_crate_base_name(name).map_err(GenerateError::Name)?;
            if spec_paths.len() != 1 {
                return Err(GenerateError::Name(format!(
                    "names the crates of one spec, but this run has {} specs; give exactly one \
                     --spec FILE",
                    spec_paths.len()
                )));
            }
        }
        let mut report = Report::default();
        let mut specs = Vec::with_capacity(spec_paths.len());
        for spec_path in &spec_paths {
            let label = spec_label(spec_path);
            let base = match &self.name {
                Some(name) => name.clone(),
                None => crate_base_name(spec_path),
            };
            if let Some((first, _)) = specs
                .iter()
                .find(|(_, other): &&(String, RenderedSpec)| other.base == base)
            {
                return Err(GenerateError::NameClash {
                    name: base,
                    first: first.clone(),
                    second: label,
                });
            }
            let rendered = render_spec(spec_path, &label, &base)?;
            report
                .diagnostics
                .extend(rendered.diagnostics.iter().map(|d| SpecDiagnostic {
                    spec: label.clone(),
                    pointer: d.pointer.clone(),
                    message: d.message.clone(),
                }));
            specs.push((label, rendered));
        }
        if self.strict && !report.diagnostics.is_empty() {
            return Err(GenerateError::Strict(report.diagnostics));
        }
        for (label, rendered) in specs {
            // The validator crate and the client crate built on it, side by side (the client
            // depends on `../<name>-validator`).
            let mut crates = rendered.crates;
            if !self.clients {
                crates.truncate(1);
            }
            for rendered in crates {
                let dir = self.out_dir.join(&rendered.name);
                let (written, unchanged, removed) = write_crate(&dir, &rendered.files)?;
                report.crates.push(CrateReport {
                    name: rendered.name,
                    dir,
                    spec: label.clone(),
                    written,
                    unchanged,
                    removed,
                    diagnostics: rendered.diagnostics,
                });
            }
        }
        Ok(report)
    }
}

/// The crate base name a spec file gets when no name is given: its file stem made valid
/// (`specs/petstore-1.0.0.yaml` → `petstore-1-0-0`).
pub fn crate_base_name(spec_path: &Path) -> String {
    let stem = spec_path
        .file_stem()
        .map(|stem| stem.to_string_lossy())
        .unwrap_or_default();
    naming::crate_base_name(&stem)
}

/// How headers name a spec: the path as given when relative (`specs/upmoney.yaml`), else its
/// file name, so output never depends on where the repository is checked out.
pub fn spec_label(path: &Path) -> String {
    if path.is_relative() {
        path.components()
            .map(|part| part.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    } else {
        path.file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

/// Renders one spec's validator crate in memory: (crate name, files, diagnostics). `label` is
/// how headers name the spec.
pub fn render(
    spec_path: &Path,
    label: &str,
) -> Result<(String, Vec<File>, Vec<Diagnostic>), GenerateError> {
    let contract = crate::check::contract::Contract::new(Spec::load(spec_path)?)?;
    let api = lower(&contract, label, &crate_base_name(spec_path))?;
    let files = validator::validator_crate(&api)?;
    Ok((
        validator::validator_crate_name(&api),
        files,
        api.diagnostics,
    ))
}

/// One crate rendered in memory.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The crate's folder name (`upmoney-validator`, `upmoney-client`).
    pub name: String,
    pub files: Vec<File>,
    /// Constructs not expressed; the rest of the crate was generated.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders every crate of one spec in memory: the validator crate, then the client crate.
/// `label` is how headers name the spec; crates are named from its file name.
pub fn render_crates(spec_path: &Path, label: &str) -> Result<Vec<Rendered>, GenerateError> {
    Ok(render_spec(spec_path, label, &crate_base_name(spec_path))?.crates)
}

/// One spec's crates rendered in memory, and the diagnostics of every stage.
#[derive(Debug, Clone)]
pub struct RenderedSpec {
    /// The crate base name (`upmoney` for `upmoney-validator` and `upmoney-client`).
    pub base: String,
    /// The validator crate, then the client crate.
    pub crates: Vec<Rendered>,
    /// Every stage's diagnostics, each once, sorted by pointer.
    pub diagnostics: Vec<Diagnostic>,
}

/// Renders every crate of one spec in memory, named `<base>-validator` and `<base>-client`
/// (`base` must pass [`naming::check_crate_base_name`]).
pub fn render_spec(
    spec_path: &Path,
    label: &str,
    base: &str,
) -> Result<RenderedSpec, GenerateError> {
    let contract = crate::check::contract::Contract::new(Spec::load(spec_path)?)?;
    let api = lower(&contract, label, base)?;
    // The two crates are independent renderings of the same IR: one per core.
    let (validator, client) = crate::parallel::join(
        || validator::validator_crate(&api),
        || crate::codegen::client::client_crate(&api, &contract),
    );
    let (validator, (client, client_diagnostics)) = (validator?, client?);
    // One list for all stages, in pipeline order; a stage that reports more (the contract's own
    // findings on the spec) adds its list here.
    let mut diagnostics: Vec<Diagnostic> =
        [api.diagnostics.as_slice(), &client_diagnostics].concat();
    diagnostics.sort();
    diagnostics.dedup();
    Ok(RenderedSpec {
        base: base.to_owned(),
        crates: vec![
            Rendered {
                name: validator::validator_crate_name(&api),
                files: validator,
                diagnostics: api.diagnostics.clone(),
            },
            Rendered {
                name: crate::codegen::client::client_crate_name(&api),
                files: client,
                diagnostics: client_diagnostics,
            },
        ],
        diagnostics,
    })
}

/// Lowers a spec and gives the IR the crate base name: the IR takes the file stem as it is,
/// which is not a valid crate name for most file names (`petstore-1.0.0`).
fn lower(
    contract: &crate::check::contract::Contract,
    label: &str,
    base: &str,
) -> Result<Api, GenerateError> {
    let mut api = crate::codegen::lower::lower_contract(contract, label)?;
    api.name = base.to_owned();
    Ok(api)
}

/// The folders of a crate that hold only generated files: stale files there are removed.
const GENERATED_FOLDERS: [&str; 2] = ["src", "examples"];

/// Writes files that differ, removes stale ones under `src/` and `examples/` (at any depth);
/// returns (written, unchanged, removed).
fn write_crate(dir: &Path, files: &[File]) -> Result<(usize, usize, usize), GenerateError> {
    let io = |path: &Path| {
        let path = path.to_owned();
        move |source| GenerateError::Io { path, source }
    };
    let (mut written, mut unchanged, mut removed) = (0, 0, 0);
    for file in files {
        let path = dir.join(&file.path);
        if std::fs::read_to_string(&path).is_ok_and(|old| old == file.contents) {
            unchanged += 1;
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, &file.contents).map_err(io(&path))?;
        written += 1;
    }
    let mut folders: Vec<String> = GENERATED_FOLDERS.iter().map(|f| (*f).to_owned()).collect();
    while let Some(folder) = folders.pop() {
        let path = dir.join(&folder);
        if !path.is_dir() {
            continue;
        }
        for entry in std::fs::read_dir(&path)
            .map_err(io(&path))?
            .filter_map(Result::ok)
        {
            let relative = format!("{folder}/{}", entry.file_name().to_string_lossy());
            if entry.path().is_dir() {
                folders.push(relative);
            } else if !files.iter().any(|file| file.path == relative) {
                std::fs::remove_file(entry.path()).map_err(io(&entry.path()))?;
                removed += 1;
            }
        }
    }
    Ok((written, unchanged, removed))
}
