//! What a diff means for the generated crates' version (they take it from `info.version`):
//! breaking → major, additions → minor, anything else → patch; and whether a given bump of
//! `info.version` is enough. It reads version strings only; it never edits a spec.
//!
//! 0.x versions follow cargo's rule that the leftmost non-zero part is the breaking position:
//! for `0.y.z` a breaking change needs `y` (or the major) bumped and an addition needs at least
//! a patch bump; for `0.0.z` every change needs some bump, since cargo treats each `0.0.z` as
//! incompatible with the others.

use serde::Serialize;

use super::Change;
use super::rules::Level;

/// The least version bump the changes require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn name(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// Breaking → major; an addition → minor; otherwise patch.
pub fn consequence(changes: &[Change]) -> Bump {
    if changes.iter().any(|change| change.level == Level::Breaking) {
        Bump::Major
    } else if changes.iter().any(|change| change.addition) {
        Bump::Minor
    } else {
        Bump::Patch
    }
}

/// A version as `MAJOR.MINOR.PATCH` numbers (missing parts are 0; a `v` prefix and any
/// pre-release or build suffix are ignored, as they do not move the compatibility position).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version(pub u64, pub u64, pub u64);

impl Version {
    pub fn parse(text: &str) -> Option<Version> {
        let text = text.trim();
        let text = text.strip_prefix('v').unwrap_or(text);
        let core = text.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let mut next = || -> Option<u64> {
            match parts.next() {
                None => Some(0),
                Some(part) => part.parse().ok(),
            }
        };
        let version = Version(next()?, next()?, next()?);
        if parts.next().is_some() {
            return None;
        }
        Some(version)
    }
}

/// Whether going from `base` to `revision` (`info.version` strings) is a big enough bump for
/// `needed`. `Err` says why not, or that a version is not `MAJOR.MINOR.PATCH`.
pub fn check(base: &str, revision: &str, needed: Bump) -> Result<(), String> {
    let old = Version::parse(base)
        .ok_or_else(|| format!("base info.version `{base}` is not MAJOR.MINOR.PATCH"))?;
    let new = Version::parse(revision)
        .ok_or_else(|| format!("new info.version `{revision}` is not MAJOR.MINOR.PATCH"))?;
    let enough = match needed {
        Bump::Major => match old {
            Version(0, 0, _) => new > old,
            Version(0, minor, _) => new.0 > 0 || new.1 > minor,
            Version(major, _, _) => new.0 > major,
        },
        Bump::Minor => match old {
            Version(0, _, _) => new > old,
            Version(major, minor, _) => (new.0, new.1) > (major, minor),
        },
        Bump::Patch => new >= old,
    };
    if enough {
        Ok(())
    } else {
        let what = match (needed, old.0) {
            (Bump::Patch, _) => "the version must not go backwards".to_owned(),
            (Bump::Major, 0) => "breaking changes need the 0.MINOR part bumped".to_owned(),
            (Bump::Major, _) => "breaking changes need a major bump".to_owned(),
            (Bump::Minor, 0) => "additions need at least a patch bump on 0.x".to_owned(),
            (Bump::Minor, _) => "additions need a minor bump".to_owned(),
        };
        Err(format!("info.version {base} → {revision}: {what}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_versions() {
        assert_eq!(Version::parse("1.2.3"), Some(Version(1, 2, 3)));
        assert_eq!(Version::parse("v2.0"), Some(Version(2, 0, 0)));
        assert_eq!(Version::parse("1.0.0-beta.1"), Some(Version(1, 0, 0)));
        assert_eq!(Version::parse("one"), None);
        assert_eq!(Version::parse("1.2.3.4"), None);
    }

    #[test]
    fn major_bumps() {
        assert!(check("1.4.2", "2.0.0", Bump::Major).is_ok());
        assert!(check("1.4.2", "1.5.0", Bump::Major).is_err());
        assert!(check("0.3.1", "0.4.0", Bump::Major).is_ok());
        assert!(check("0.3.1", "0.3.2", Bump::Major).is_err());
        assert!(check("0.0.3", "0.0.4", Bump::Major).is_ok());
    }

    #[test]
    fn minor_and_patch_bumps() {
        assert!(check("1.4.2", "1.5.0", Bump::Minor).is_ok());
        assert!(check("1.4.2", "1.4.3", Bump::Minor).is_err());
        assert!(check("0.3.1", "0.3.2", Bump::Minor).is_ok());
        assert!(check("0.3.1", "0.3.1", Bump::Minor).is_err());
        assert!(check("1.4.2", "1.4.2", Bump::Patch).is_ok());
        assert!(check("1.4.2", "1.4.1", Bump::Patch).is_err());
        assert!(check("x", "1.0.0", Bump::Patch).is_err());
    }
}
