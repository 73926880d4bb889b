//! `contract check`: one command that gates CI on the contracts. It reads `contract.toml`
//! (`[check]`), runs each part (lint and diff are hooked in by their own modules; freshness of
//! `generated/`, sample manifests and HAR files are here) and adds their [`Section`]s up to one
//! exit code. It decides no verdict itself: each part does, through the library.
//!
//! [`Section`]: crate::findings::Section

pub mod config;
pub mod fresh;
pub mod render;

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
        let default = Path::new("contract.toml");
        let config_path = match config_path {
            Some(path) => path,
            None if default.exists() => default,
            None => {
                return Ok(Gate {
                    root: PathBuf::from("."),
                    config: CheckConfig::default(),
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
        // Hook (lead): `outcome.lint = crate::lint::...(&paths, &config)` and
        // `outcome.diff = crate::diff::...(&paths, base)` when those modules land.
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

/// `contract check`: prints every part's sections; returns the exit code (0, 1 at or above
/// `fail_on`, 2 when something could not be checked).
pub fn command(args: &crate::cli::CheckArgs) -> std::process::ExitCode {
    use std::io::Write as _;
    let mut gate = match Gate::load(args.config.as_deref()) {
        Ok(gate) => gate,
        Err(error) => {
            eprintln!("error: {error}");
            return std::process::ExitCode::from(crate::cli::EXIT_ERROR);
        }
    };
    if let Some(fail_on) = &args.fail_on {
        match Severity::parse(fail_on) {
            Some(severity) => gate.config.fail_on = severity,
            None => {
                eprintln!("error: --fail-on {fail_on:?}: expected error, warn, info or hint");
                return std::process::ExitCode::from(crate::cli::EXIT_ERROR);
            }
        }
    }
    if let Some(base) = &args.base {
        gate.config.base = Some(base.clone());
    }
    let sections = gate.run().sections();
    let fail_on = gate.config.fail_on;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let written = render::write(&mut out, &sections, args.format, fail_on, None).and_then(|()| {
        if args.format == crate::cli::Format::Human {
            let failing = sections
                .iter()
                .filter(|s| s.error.is_some() || s.worst().is_some_and(|w| w >= fail_on))
                .count();
            writeln!(
                out,
                "contract check: {} sections, {failing} at or above {}",
                sections.len(),
                fail_on.name()
            )?;
        }
        out.flush()
    });
    if let Err(error) = written {
        eprintln!("error: cannot write the results: {error}");
        return std::process::ExitCode::from(crate::cli::EXIT_ERROR);
    }
    std::process::ExitCode::from(render::exit_code(&sections, fail_on))
}
