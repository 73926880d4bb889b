//! `contract.toml`: the one configuration of `contract check`. This module owns the top-level
//! structure and the `[check]` table; `[lint]` and `[diff]` are kept opaque here and read by
//! their own modules. Unknown tables and keys are errors, never silently ignored.

use std::path::Path;

use serde::{Deserialize, Deserializer};

use crate::findings::Severity;

/// The whole file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub check: CheckConfig,
    /// Read by the lint module (severities per rule, rules off, ignores).
    #[serde(default)]
    pub lint: Option<toml::Table>,
    /// Read by the diff module.
    #[serde(default)]
    pub diff: Option<toml::Table>,
}

/// `[check]`: what `contract check` runs on. Paths are relative to the file's folder.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckConfig {
    /// The specs; empty means every `*.yaml` in `specs/`.
    #[serde(default)]
    pub specs: Vec<String>,
    /// HAR files whose entries are validated against the specs.
    #[serde(default)]
    pub har: Vec<String>,
    /// The least severity that fails the check (`error`, `warn`, `info`, `hint`).
    #[serde(default = "default_fail_on", deserialize_with = "severity")]
    pub fail_on: Severity,
    /// The git ref each spec is diffed against (`origin/main`); no diff without it.
    #[serde(default)]
    pub base: Option<String>,
    /// Whether every spec is linted (with `[lint]` of the same file).
    #[serde(default = "default_true")]
    pub lint: bool,
    /// Where the generated crates are, checked for freshness.
    #[serde(default = "default_generated")]
    pub generated: String,
    /// Where the sample manifests are (`<samples>/<spec stem>/manifest.yaml`).
    #[serde(default = "default_samples")]
    pub samples: String,
}

impl Default for CheckConfig {
    fn default() -> CheckConfig {
        CheckConfig {
            specs: Vec::new(),
            har: Vec::new(),
            fail_on: default_fail_on(),
            base: None,
            lint: true,
            generated: default_generated(),
            samples: default_samples(),
        }
    }
}

fn default_fail_on() -> Severity {
    Severity::Error
}

fn default_true() -> bool {
    true
}

fn default_generated() -> String {
    "generated".to_owned()
}

fn default_samples() -> String {
    "specs/samples".to_owned()
}

fn severity<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Severity, D::Error> {
    let text = String::deserialize(deserializer)?;
    Severity::parse(&text).ok_or_else(|| {
        serde::de::Error::custom(format!(
            "unknown severity {text:?}: expected error, warn, info or hint"
        ))
    })
}

impl Config {
    /// Reads and parses a config file; errors name the file and the place in it.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|error| format!("{}: {error}", path.display()))?;
        Config::parse(&text).map_err(|error| format!("{}: {error}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Config, String> {
        toml::from_str(text).map_err(|error| error.to_string().trim_end().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_values() {
        let config = Config::parse("").unwrap();
        assert!(config.check.specs.is_empty());
        assert_eq!(config.check.fail_on, Severity::Error);
        let config = Config::parse(
            "[check]\nspecs = ['specs/a.yaml']\nhar = ['t.har']\nfail_on = 'warn'\nbase = \
             'origin/main'\n[lint]\nrules = {}\n",
        )
        .unwrap();
        assert_eq!(config.check.specs, ["specs/a.yaml"]);
        assert_eq!(config.check.fail_on, Severity::Warn);
        assert_eq!(config.check.base.as_deref(), Some("origin/main"));
        assert!(config.lint.is_some());
    }

    #[test]
    fn unknown_names_are_errors() {
        let error = Config::parse("[chek]\n").unwrap_err();
        assert!(error.contains("chek"), "{error}");
        let error = Config::parse("[check]\nspec = []\n").unwrap_err();
        assert!(error.contains("spec"), "{error}");
        let error = Config::parse("[check]\nfail_on = 'fatal'\n").unwrap_err();
        assert!(error.contains("unknown severity"), "{error}");
    }
}
