//! `contract check`: one command that gates CI on the contracts. It reads `contract.toml`
//! (`[check]`), runs each part (lint and diff are hooked in by their own modules; freshness of
//! `generated/`, sample manifests and HAR files are here) and adds their [`Section`]s up to one
//! exit code. It decides no verdict itself: each part does, through the library.
//!
//! [`Section`]: crate::findings::Section

pub mod config;
pub mod fresh;

use std::path::{Path, PathBuf};

use crate::check::contract::Contract;
use crate::check::har::{self, Specs};
use crate::findings::{Part, Section, Severity};

pub use config::{CheckConfig, Config};

/// Where `contract check` runs: the configuration and the folder its paths are relative to.
#[derive(Debug, Clone)]
pub struct Gate {
    pub root: PathBuf,
    pub config: CheckConfig,
    /// The file read, if any: the lint part reads its `[lint]` table from it.
    pub config_path: Option<PathBuf>,
    /// That `[lint]` table, read once (the lint part and the SARIF rule list both need it).
    lint_config: std::cell::OnceCell<Result<crate::lint::LintConfig, String>>,
}

/// Every part's sections, in the order they are reported. Each part is a `Vec<Section>` so a
/// part can be added without touching the others.
#[derive(Debug, Default)]
pub struct Outcome {
    /// Hook: `contract lint` sections (from the lint module), one per spec.
    pub lint: Vec<Section>,
    /// Hook: `contract diff` sections against `base` (from the diff module), one per spec.
    pub diff: Vec<Section>,
    pub fresh: Vec<Section>,
    pub samples: Vec<Section>,
    pub har: Vec<Section>,
}

impl Outcome {
    pub fn sections(&self) -> Vec<Section> {
        [
            &self.lint,
            &self.diff,
            &self.fresh,
            &self.samples,
            &self.har,
        ]
        .into_iter()
        .flatten()
        .cloned()
        .collect()
    }
}

impl Gate {
    /// Reads the config file given, or `./contract.toml` if there is one, or uses the defaults;
    /// the file's folder is the root of every path in it.
    pub fn load(config_path: Option<&Path>) -> Result<Gate, String> {
        let default = Path::new(crate::lint::config::FILE_NAME);
        let config_path = match config_path {
            Some(path) => path,
            None if default.exists() => default,
            None => {
                return Ok(Gate {
                    root: PathBuf::from("."),
                    config: CheckConfig::default(),
                    config_path: None,
                    lint_config: Default::default(),
                });
            }
        };
        let config = Config::load(config_path)?;
        let root = config_path
            .parent()
            .filter(|parent| !parent.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        Ok(Gate {
            root,
            config: config.check,
            config_path: Some(config_path.to_owned()),
            lint_config: Default::default(),
        })
    }

    /// A path of the config, as it is shown and opened (no `./` prefix for the current folder).
    pub fn path(&self, relative: &str) -> PathBuf {
        if self.root == Path::new(".") {
            PathBuf::from(relative)
        } else {
            self.root.join(relative)
        }
    }

    /// The specs to check: the configured ones, or every `*.yaml` in `specs/`.
    pub fn spec_paths(&self) -> Result<Vec<PathBuf>, String> {
        if self.config.specs.is_empty() {
            return har::specs_in(&self.path("specs")).map_err(|error| error.to_string());
        }
        Ok(self
            .config
            .specs
            .iter()
            .map(|spec| self.path(spec))
            .collect())
    }

    /// Runs every part it can. A spec that does not load is one error section (exit 2); the
    /// other specs are still checked.
    pub fn run(&self) -> Outcome {
        let mut outcome = Outcome::default();
        let paths = match self.spec_paths() {
            Ok(paths) => paths,
            Err(error) => {
                let mut section = Section::new(Part::Samples, "specs");
                section.error = Some(error);
                outcome.samples.push(section);
                return outcome;
            }
        };
        let mut specs = Specs::default();
        for path in &paths {
            match Contract::load(path) {
                Ok(contract) => specs.push(path.clone(), contract),
                Err(error) => {
                    let mut section = Section::new(Part::Samples, path.display().to_string());
                    section.error = Some(error.to_string());
                    outcome.samples.push(section);
                }
            }
        }
        if self.config.lint {
            outcome.lint = self.lint(&paths);
        }
        if let Some(base) = &self.config.base {
            outcome.diff = paths.iter().map(|path| diff_against(base, path)).collect();
        }
        outcome.fresh = fresh::check(
            &self.root,
            &paths,
            &self.path(&self.config.generated),
            self.config.specs.is_empty(),
        );
        let samples_dir = self.path(&self.config.samples);
        for target in specs.targets() {
            if crate::check::samples::manifest_path(&samples_dir, &target.path).exists() {
                outcome.samples.push(crate::check::samples::check(
                    &target.contract,
                    &target.path,
                    &samples_dir,
                ));
            }
        }
        for file in &self.config.har {
            let path = self.path(file);
            match har::check_file(&path, &specs) {
                Ok(sections) => outcome.har.extend(sections),
                Err(error) => {
                    let mut section = Section::new(Part::Har, path.display().to_string());
                    section.error = Some(error.to_string());
                    outcome.har.push(section);
                }
            }
        }
        outcome
    }
}

impl Gate {
    /// The lint config: the `[lint]` table of the file read (rule names checked), or the defaults.
    fn lint_config(&self) -> &Result<crate::lint::LintConfig, String> {
        self.lint_config.get_or_init(|| match &self.config_path {
            Some(path) => crate::lint::load_config(Some(path)).map_err(|error| error.to_string()),
            None => Ok(crate::lint::LintConfig::default()),
        })
    }

    /// One lint section per spec; a config mistake is one section that could not be checked.
    fn lint(&self, paths: &[PathBuf]) -> Vec<Section> {
        match self.lint_config() {
            Ok(config) => paths
                .iter()
                .map(|path| crate::lint::lint_file(path, config))
                .collect(),
            Err(error) => {
                let mut section = Section::new(Part::Lint, "contract.toml [lint]");
                section.error = Some(error.clone());
                vec![section]
            }
        }
    }

    /// Every rule the run can report, for the SARIF driver (the lint rules as configured).
    pub fn rule_infos(&self) -> Vec<crate::findings::format::RuleInfo> {
        if !self.config.lint {
            return Vec::new();
        }
        self.lint_config()
            .as_ref()
            .map(crate::lint::rule_infos)
            .unwrap_or_default()
    }
}

/// The rule of a spec whose `info.version` is not bumped as its changes require.
pub const RULE_VERSION_BUMP: &str = "version-bump";
/// The rule of a spec that did not exist at the base (nothing to compare; informational).
pub const RULE_SPEC_ADDED: &str = "spec-added";

/// One diff section: the spec at `base` (read from git, the work tree untouched) against the
/// file, every change a finding, plus a `version-bump` error when `info.version` is not bumped
/// as far as the changes require (major for breaking, minor for additions).
pub fn diff_against(base: &str, path: &Path) -> Section {
    use crate::diff::source::{Input, SourceError};
    let old = Input::at_ref(base, path);
    let subject = format!("{} → {}", old.name(), path.display());
    let loaded = old
        .load()
        .and_then(|old| Input::File(path.to_owned()).load().map(|new| (old, new)));
    let (old, new) = match loaded {
        Ok(pair) => pair,
        Err(SourceError::NotAtRef { .. }) => {
            let mut section = Section::new(Part::Diff, subject);
            section.findings.push(crate::findings::Finding {
                rule: RULE_SPEC_ADDED.to_owned(),
                severity: Severity::Info,
                message: format!("{} is new since {base}: nothing to compare", path.display()),
                location: None,
                related: Vec::new(),
                operation: None,
            });
            return section;
        }
        Err(error) => {
            let mut section = Section::new(Part::Diff, subject);
            section.error = Some(error.to_string());
            return section;
        }
    };
    let diff = crate::diff::compare(&old, &new);
    let mut section = diff.section();
    section.subject = subject;
    let version = |loaded: &crate::diff::source::Loaded| {
        loaded
            .spec
            .document
            .pointer("/info/version")
            .and_then(serde_json::Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    if diff.changes.is_empty() {
        return section;
    }
    let bump = crate::diff::semver::check(&version(&old), &version(&new), diff.semver);
    if bump.is_ok() {
        // The version says what the changes do: a breaking change declared by its major bump
        // is news for the changelog, not a failure.
        for finding in &mut section.findings {
            if finding.severity == Severity::Error {
                finding.severity = Severity::Info;
                finding.message = format!(
                    "{} (declared by info.version {} → {})",
                    finding.message,
                    version(&old),
                    version(&new)
                );
            }
        }
    }
    if let Err(message) = bump {
        let span = new.spans.locate("/info/version");
        section.findings.insert(
            0,
            crate::findings::Finding {
                rule: RULE_VERSION_BUMP.to_owned(),
                severity: Severity::Error,
                message: format!("{message} (the changes need a {} bump)", diff.semver.name()),
                location: Some(crate::findings::Location {
                    file: path.display().to_string(),
                    pointer: "/info/version".to_owned(),
                    line: span.map(|span| span.line),
                    column: span.map(|span| span.column),
                }),
                related: Vec::new(),
                operation: None,
            },
        );
    }
    section
}

/// `contract check`: prints every part's sections; returns the exit code (0, 1 at or above
/// `fail_on`, 2 when something could not be checked).
pub fn command(args: &crate::cli::CheckArgs) -> std::process::ExitCode {
    use crate::findings::format;
    let mut gate = match Gate::load(args.config.as_deref()) {
        Ok(gate) => gate,
        Err(error) => {
            let config = args
                .config
                .as_deref()
                .unwrap_or(Path::new(crate::lint::config::FILE_NAME));
            return std::process::ExitCode::from(format::report_config_error(
                &config.display().to_string(),
                &error,
                args.format,
            ));
        }
    };
    if let Some(fail_on) = &args.fail_on {
        match Severity::parse(fail_on) {
            Some(severity) => gate.config.fail_on = severity,
            None => {
                eprintln!("error: --fail-on {fail_on:?}: expected error, warn, info or hint");
                return std::process::ExitCode::from(format::EXIT_ERROR);
            }
        }
    }
    if let Some(base) = &args.base {
        gate.config.base = Some(base.clone());
    }
    let sections = gate.run().sections();
    let fail_on = gate.config.fail_on;
    let rules = gate.rule_infos();
    let mut text = format::render_with_rules(&sections, args.format, fail_on, &rules);
    if args.format == format::Format::Human {
        let failing = sections
            .iter()
            .filter(|s| s.error.is_some() || s.worst().is_some_and(|w| w >= fail_on))
            .count();
        text.push_str(&std::format!(
            "contract check: {} sections, {failing} at or above {}\n",
            sections.len(),
            fail_on.name()
        ));
    }
    if let Err(error) = format::print(&text) {
        eprintln!("error: cannot write the results: {error}");
        return std::process::ExitCode::from(format::EXIT_ERROR);
    }
    std::process::ExitCode::from(format::exit_code(&sections, fail_on))
}
