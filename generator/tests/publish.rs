//! `contract publish` as a user runs it, in a temporary git repository holding the up.money
//! spec: the kit per spec (both partner copies, the docs site, the changelog against `--base`),
//! one deterministic archive each whose SHA-256 is in `SHA256SUMS`, and errors that leave
//! `--out` as it was.

mod common;

use common::git;

use std::path::Path;

use assert_cmd::Command;
use sha2::{Digest, Sha256};

fn publish(dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    Command::cargo_bin("contract")
        .unwrap()
        .current_dir(dir)
        .arg("publish")
        .args(args)
        .assert()
}

fn repository() -> tempfile::TempDir {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("specs")).unwrap();
    for file in ["specs/upmoney.yaml", "specs/README.md"] {
        std::fs::copy(repo.join(file), dir.path().join(file)).unwrap();
    }
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "published"]);
    dir
}

fn archive_names(path: &Path) -> Vec<String> {
    let decoder = flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap());
    let mut names: Vec<String> = tar::Archive::new(decoder)
        .entries()
        .unwrap()
        .map(|entry| entry.unwrap().path().unwrap().display().to_string())
        .collect();
    names.sort();
    names
}

#[test]
fn the_kit_holds_copies_docs_changelog_and_a_checksummed_archive() {
    let dir = repository();
    let root = dir.path();
    // A breaking change, declared by a major version.
    let spec = root.join("specs/upmoney.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = text
        .replacen("          maxLength: 6\n", "          maxLength: 4\n", 1)
        .replacen("version: 1.0.0", "version: 2.0.0", 1);
    std::fs::write(&spec, changed).unwrap();

    publish(
        root,
        &["specs/upmoney.yaml", "--out", "dist", "--base", "HEAD"],
    )
    .code(0);
    let kit = root.join("dist/upmoney-2.0.0");
    for file in [
        "upmoney.openapi-3.0.yaml",
        "upmoney.openapi-3.1.yaml",
        "CHANGELOG.md",
        "CHANGELOG.json",
        "docs/index.html",
        "docs/upmoney.html",
    ] {
        assert!(kit.join(file).is_file(), "missing {file}");
    }
    let copy = std::fs::read_to_string(kit.join("upmoney.openapi-3.1.yaml")).unwrap();
    assert!(copy.contains("openapi: 3.1.0"), "{copy:.200}");
    assert!(
        !copy.contains("x-doc-discrepancies"),
        "internal notes leaked"
    );
    let changelog = std::fs::read_to_string(kit.join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains("major"), "{changelog}");
    assert!(changelog.contains("Breaking changes"), "{changelog}");
    assert!(changelog.contains("activatePhysicalCard"), "{changelog}");

    // The archive holds exactly the kit folder, and SHA256SUMS has its digest.
    let archive = root.join("dist/upmoney-2.0.0.tar.gz");
    let names = archive_names(&archive);
    assert!(
        names.contains(&"upmoney-2.0.0/CHANGELOG.md".to_owned()),
        "{names:?}"
    );
    assert!(
        names.contains(&"upmoney-2.0.0/docs/upmoney.html".to_owned()),
        "{names:?}"
    );
    assert!(
        names.iter().all(|name| name.starts_with("upmoney-2.0.0/")),
        "{names:?}"
    );
    let bytes = std::fs::read(&archive).unwrap();
    let digest: String = Sha256::digest(&bytes)
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let sums = std::fs::read_to_string(root.join("dist/SHA256SUMS")).unwrap();
    assert_eq!(sums, format!("{digest}  upmoney-2.0.0.tar.gz\n"));

    // Published again: the same bytes.
    publish(
        root,
        &["specs/upmoney.yaml", "--out", "dist", "--base", "HEAD"],
    )
    .code(0);
    assert_eq!(std::fs::read(&archive).unwrap(), bytes);

    // Without a base the changelog says this is the first publication.
    publish(root, &["specs/upmoney.yaml", "--out", "dist"]).code(0);
    let changelog = std::fs::read_to_string(kit.join("CHANGELOG.md")).unwrap();
    assert!(changelog.contains("first publication"), "{changelog}");
}

#[test]
fn errors_leave_the_output_as_it_was() {
    let dir = repository();
    let root = dir.path();
    publish(root, &["specs/upmoney.yaml", "--out", "dist"]).code(0);
    let before = std::fs::read(root.join("dist/SHA256SUMS")).unwrap();

    // A spec that cannot be read: exit 2, named, and the earlier kit untouched.
    std::fs::write(root.join("specs/broken.yaml"), "openapi: 3.0.3\ninfo: [\n").unwrap();
    publish(root, &["specs/broken.yaml", "--out", "dist"])
        .code(2)
        .stderr(predicates::str::contains("broken.yaml"));
    assert_eq!(std::fs::read(root.join("dist/SHA256SUMS")).unwrap(), before);
    assert!(root.join("dist/upmoney-1.0.0/CHANGELOG.md").is_file());

    // A folder that `contract publish` did not write is never emptied.
    std::fs::create_dir_all(root.join("mine")).unwrap();
    std::fs::write(root.join("mine/notes.txt"), "keep me").unwrap();
    publish(root, &["specs/upmoney.yaml", "--out", "mine"])
        .code(2)
        .stderr(predicates::str::contains(
            "not written by `contract publish`",
        ));
    assert_eq!(
        std::fs::read_to_string(root.join("mine/notes.txt")).unwrap(),
        "keep me"
    );
    // An unknown base is an error too.
    publish(
        root,
        &["specs/upmoney.yaml", "--out", "dist", "--base", "nope"],
    )
    .code(2);
    // Nothing is left behind in the parent folder by the staging step.
    let leftovers: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with(".contract-publish")
        })
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
