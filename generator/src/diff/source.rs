//! Where a diff input comes from: a file, or `git:REF:PATH` read from the repository with the
//! `git` binary (`git show`, and `git archive` into a temporary folder for a spec split over
//! several files). It never checks anything out and never writes to the work tree.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::spec::Spec;
use crate::spec::spans::SourceMap;

/// Why an input could not be read.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Spec(#[from] crate::SpecError),
    #[error("{input}: {message}")]
    Git { input: String, message: String },
    /// The commit exists but holds no such file (a spec added since).
    #[error("{input}: no file `{path}` at `{reference}`")]
    NotAtRef {
        input: String,
        reference: String,
        path: String,
    },
}

/// A diff input as the user wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    File(PathBuf),
    /// `git:REF:PATH` (PATH from the repository root, as `git show REF:PATH` reads it).
    Git {
        reference: String,
        path: String,
    },
}

/// A loaded input: the spec, its name in reports, and where its nodes stand in the text.
#[derive(Debug)]
pub struct Loaded {
    pub name: String,
    pub spec: Spec,
    pub spans: SourceMap,
}

impl Input {
    /// `git:REF:PATH` → a git input (REF may itself hold `:`-free names such as `origin/main`,
    /// `HEAD~1`); anything else is a file path.
    pub fn parse(text: &str) -> Input {
        if let Some(rest) = text.strip_prefix("git:")
            && let Some((reference, path)) = rest.split_once(':')
        {
            return Input::Git {
                reference: reference.to_owned(),
                path: path.to_owned(),
            };
        }
        Input::File(PathBuf::from(text))
    }

    /// A file of the work tree as it was at `reference`: the path is read relative to the
    /// current folder (`git show REF:./path`), as the user wrote it.
    pub fn at_ref(reference: &str, path: &Path) -> Input {
        let relative = path.to_string_lossy().replace('\\', "/");
        Input::Git {
            reference: reference.to_owned(),
            path: format!("./{}", relative.trim_start_matches("./")),
        }
    }

    pub fn name(&self) -> String {
        match self {
            Input::File(path) => path.display().to_string(),
            Input::Git { reference, path } => format!("git:{reference}:{path}"),
        }
    }

    pub fn load(&self) -> Result<Loaded, SourceError> {
        match self {
            Input::File(path) => {
                // The value and the spans are two parses of the same text: run them side by side.
                let (spec, spans) =
                    crate::parallel::join(|| Spec::load(path), || SourceMap::load(path));
                Ok(Loaded {
                    name: self.name(),
                    spans,
                    spec: spec?,
                })
            }
            Input::Git { reference, path } => self.load_git(reference, path),
        }
    }

    fn load_git(&self, reference: &str, path: &str) -> Result<Loaded, SourceError> {
        let name = self.name();
        let fail = |message: String| SourceError::Git {
            input: name.clone(),
            message,
        };
        if reference.is_empty() || path.is_empty() {
            return Err(fail("expected git:REF:PATH".to_owned()));
        }
        git(&[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{reference}^{{commit}}"),
        ])
        .map_err(|message| {
            fail(if message.is_empty() {
                format!("no commit `{reference}` in this repository")
            } else {
                message
            })
        })?;
        let text =
            git(&["show", &format!("{reference}:{path}")]).map_err(|_| SourceError::NotAtRef {
                input: name.clone(),
                reference: reference.to_owned(),
                path: path.to_owned(),
            })?;
        let spans = SourceMap::parse(&text);
        let external = serde_yaml::from_str::<serde_json::Value>(&text)
            .map(|document| crate::spec::bundle::has_external_refs(&document))
            .unwrap_or(false);
        let spec = if external {
            // The files it refers to, as they were at REF: the tree, unpacked beside nothing.
            let dir = Scratch::new().map_err(|error| fail(error.to_string()))?;
            materialise(reference, dir.path()).map_err(&fail)?;
            let mut spec = Spec::load(dir.path().join(path))?;
            spec.path = PathBuf::from(&name);
            spec
        } else {
            Spec::parse(&name, &text)?
        };
        Ok(Loaded { name, spec, spans })
    }
}

/// Runs git in the current directory; its stdout, or its stderr's first line as the error.
fn git(args: &[&str]) -> Result<String, String> {
    let output = Command::new("git")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|error| format!("cannot run git: {error}"))?;
    if output.status.success() {
        String::from_utf8(output.stdout).map_err(|_| "file is not UTF-8 text".to_owned())
    } else {
        Err(String::from_utf8_lossy(&output.stderr)
            .lines()
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned())
    }
}

/// Unpacks the tree at `reference` into `dir` (`git archive | tar -x`).
fn materialise(reference: &str, dir: &Path) -> Result<(), String> {
    let mut archive = Command::new("git")
        .args(["archive", "--format=tar", reference])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|error| format!("cannot run git archive: {error}"))?;
    let stdout = archive
        .stdout
        .take()
        .ok_or_else(|| "git archive gave no output".to_owned())?;
    let status = Command::new("tar")
        .arg("-x")
        .arg("-C")
        .arg(dir)
        .stdin(stdout)
        .status()
        .map_err(|error| format!("cannot run tar: {error}"))?;
    let archived = archive
        .wait()
        .map_err(|error| format!("git archive: {error}"))?;
    if status.success() && archived.success() {
        Ok(())
    } else {
        Err(format!("could not unpack the tree at `{reference}`"))
    }
}

/// A temporary folder removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> std::io::Result<Scratch> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "contract-diff-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Scratch(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_inputs() {
        assert_eq!(
            Input::parse("git:origin/main:specs/a.yaml"),
            Input::Git {
                reference: "origin/main".to_owned(),
                path: "specs/a.yaml".to_owned()
            }
        );
        assert_eq!(
            Input::parse("specs/a.yaml"),
            Input::File("specs/a.yaml".into())
        );
    }
}
