//! `contract.toml`'s `[lint]` table: a severity per rule name (`off` disables one) and ignores by
//! file + JSON pointer + rule, each with a reason. Every mistake (an unknown rule, a bad
//! severity, an ignore without a reason) is an error naming the file and line, never silence.
//! Other tables of the file belong to other verbs and are not read here.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::findings::Severity;

/// The config file looked for in the current directory when `--config` is not given.
pub const FILE_NAME: &str = "contract.toml";

/// A config mistake, already worded as `file:line:column: message`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}:{column}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// The lint settings after reading a config (or the defaults when there is none).
#[derive(Debug, Clone, Default)]
pub struct LintConfig {
    /// Where the config was read from; ignores' files are relative to its folder.
    pub path: Option<PathBuf>,
    /// Severity per rule name, `None` for `off`.
    pub severities: BTreeMap<String, Option<Severity>>,
    pub ignores: Vec<Ignore>,
    /// The README whose extension table `contract-known-extension` reads, when configured;
    /// otherwise `README.md` beside each spec.
    pub extensions_readme: Option<PathBuf>,
}

/// One finding switched off on purpose: the rule at this pointer (or under it) in this file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ignore {
    pub file: PathBuf,
    pub pointer: String,
    pub rule: String,
    pub reason: String,
}

#[derive(Debug, Deserialize)]
struct FileShape {
    lint: Option<LintShape>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct LintShape {
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<IgnoreShape>>,
    extensions: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IgnoreShape {
    file: Spanned<String>,
    pointer: Spanned<String>,
    rule: Spanned<String>,
    reason: Option<Spanned<String>>,
}

fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rfind('\n').map_or(before.chars().count(), |at| {
        before[at + 1..].chars().count()
    }) + 1;
    (line, column)
}

impl LintConfig {
    /// Reads `path`; `known` is every rule name there is.
    pub fn load(path: &Path, known: &[&str]) -> Result<LintConfig, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: path.display().to_string(),
            line: 0,
            column: 0,
            message: format!("cannot read the config: {error}"),
        })?;
        LintConfig::parse(path, &text, known)
    }

    /// Parses config text; `path` names it in errors and anchors the ignores' files.
    pub fn parse(path: &Path, text: &str, known: &[&str]) -> Result<LintConfig, ConfigError> {
        let file = path.display().to_string();
        let error_at = |offset: usize, message: String| {
            let (line, column) = position(text, offset);
            ConfigError {
                file: file.clone(),
                line,
                column,
                message,
            }
        };
        let shape: FileShape = toml::from_str(text).map_err(|error| {
            let offset = error.span().map_or(0, |span| span.start);
            error_at(offset, error.message().trim().to_owned())
        })?;
        let base = path.parent().unwrap_or(Path::new("")).to_owned();
        let mut config = LintConfig {
            path: Some(path.to_owned()),
            ..LintConfig::default()
        };
        let Some(lint) = shape.lint else {
            return Ok(config);
        };
        for (name, severity) in lint.rules {
            if !known.contains(&name.get_ref().as_str()) {
                return Err(error_at(
                    name.span().start,
                    format!("unknown rule `{}` in [lint.rules]", name.get_ref()),
                ));
            }
            let value = match severity.get_ref().as_str() {
                "off" => None,
                other => Some(Severity::parse(other).ok_or_else(|| {
                    error_at(
                        severity.span().start,
                        format!(
                            "`{other}` is not a severity for `{}` (error, warn, info, hint or off)",
                            name.get_ref()
                        ),
                    )
                })?),
            };
            config.severities.insert(name.into_inner(), value);
        }
        for entry in lint.ignore {
            let start = entry.span().start;
            let entry = entry.into_inner();
            if !known.contains(&entry.rule.get_ref().as_str()) {
                return Err(error_at(
                    entry.rule.span().start,
                    format!("unknown rule `{}` in [[lint.ignore]]", entry.rule.get_ref()),
                ));
            }
            let pointer = entry.pointer.get_ref().trim_start_matches('#').to_owned();
            if !(pointer.is_empty() || pointer.starts_with('/')) {
                return Err(error_at(
                    entry.pointer.span().start,
                    format!(
                        "`{}` is not a JSON pointer (`#/paths/...`)",
                        entry.pointer.get_ref()
                    ),
                ));
            }
            let reason = match entry.reason {
                Some(reason) if !reason.get_ref().trim().is_empty() => reason.into_inner(),
                Some(reason) => {
                    return Err(error_at(
                        reason.span().start,
                        "an ignore needs a non-empty `reason`".to_owned(),
                    ));
                }
                None => {
                    return Err(error_at(
                        start,
                        "an ignore needs a `reason` saying why the finding is accepted".to_owned(),
                    ));
                }
            };
            config.ignores.push(Ignore {
                file: base.join(entry.file.get_ref()),
                pointer,
                rule: entry.rule.into_inner(),
                reason,
            });
        }
        config.extensions_readme = lint.extensions.map(|readme| base.join(readme));
        Ok(config)
    }

    /// Whether a finding of `rule` at `pointer` in `file` is ignored.
    pub fn ignored(&self, file: &Path, rule: &str, pointer: &str) -> bool {
        let file = normalize(file);
        self.ignores.iter().any(|ignore| {
            ignore.rule == rule
                && (pointer == ignore.pointer
                    || pointer.starts_with(&format!("{}/", ignore.pointer)))
                && normalize(&ignore.file) == file
        })
    }
}

/// A path compared by what it names: canonical when it exists, else as written without `./`.
fn normalize(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| {
        path.components()
            .filter(|part| !matches!(part, std::path::Component::CurDir))
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["info-contact", "path-params"];

    fn parse(text: &str) -> Result<LintConfig, ConfigError> {
        LintConfig::parse(Path::new("dir/contract.toml"), text, KNOWN)
    }

    #[test]
    fn reads_severities_and_ignores() {
        let config = parse(
            "[lint.rules]\ninfo-contact = \"off\"\npath-params = \"warn\"\n\n[[lint.ignore]]\nfile = \"specs/a.yaml\"\npointer = \"#/paths/~1a\"\nrule = \"path-params\"\nreason = \"documented\"\n",
        )
        .unwrap();
        assert_eq!(config.severities["info-contact"], None);
        assert_eq!(config.severities["path-params"], Some(Severity::Warn));
        assert_eq!(config.ignores[0].file, Path::new("dir/specs/a.yaml"));
        assert!(config.ignored(
            Path::new("dir/specs/a.yaml"),
            "path-params",
            "/paths/~1a/get"
        ));
        assert!(!config.ignored(Path::new("dir/specs/a.yaml"), "path-params", "/paths/~1ab"));
    }

    #[test]
    fn mistakes_name_their_line() {
        let error = parse("[lint.rules]\ninfo-contact = \"warn\"\nnope = \"off\"\n").unwrap_err();
        assert_eq!((error.line, error.column), (3, 1));
        assert!(error.message.contains("unknown rule `nope`"));
        let error = parse("[lint.rules]\ninfo-contact = \"loud\"\n").unwrap_err();
        assert_eq!(error.line, 2);
        let error = parse(
            "[[lint.ignore]]\nfile = \"a.yaml\"\npointer = \"/info\"\nrule = \"info-contact\"\n",
        )
        .unwrap_err();
        assert!(error.message.contains("reason"), "{error}");
        let error = parse("[lint]\nrulez = {}\n").unwrap_err();
        assert_eq!(error.line, 2, "{error}");
    }
}
