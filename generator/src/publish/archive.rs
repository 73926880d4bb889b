//! The partner kit as one download: a deterministic `.tar.gz` of a folder (entries sorted, no
//! timestamps, owners or modes from the machine that built it, so the same kit gives the same
//! bytes and the same checksum), and its SHA-256 in the `sha256sum` format. It packs what
//! `publish` wrote; it never decides what goes in.

use std::io::Write;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// Why the archive could not be written.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct ArchiveError {
    pub path: String,
    #[source]
    pub source: std::io::Error,
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError {
        path: path.display().to_string(),
        source,
    }
}

/// Every file under `dir`, as paths relative to it, sorted byte-wise.
fn files(dir: &Path) -> Result<Vec<PathBuf>, ArchiveError> {
    let mut out = Vec::new();
    let mut pending = vec![PathBuf::new()];
    while let Some(relative) = pending.pop() {
        let here = dir.join(&relative);
        for entry in std::fs::read_dir(&here).map_err(io_error(&here))? {
            let entry = entry.map_err(io_error(&here))?;
            let kind = entry.file_type().map_err(io_error(&entry.path()))?;
            let name = relative.join(entry.file_name());
            if kind.is_dir() {
                pending.push(name);
            } else if kind.is_file() {
                out.push(name);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Packs `dir` into `archive` under the folder name `root` (what a partner sees when unpacking)
/// and returns the archive's SHA-256 in lowercase hex.
pub fn write(dir: &Path, root: &str, archive: &Path) -> Result<String, ArchiveError> {
    let mut bytes = Vec::new();
    {
        let encoder = flate2::write::GzEncoder::new(&mut bytes, flate2::Compression::best());
        let mut builder = tar::Builder::new(encoder);
        builder.mode(tar::HeaderMode::Deterministic);
        for relative in files(dir)? {
            let path = dir.join(&relative);
            let data = std::fs::read(&path).map_err(io_error(&path))?;
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_mtime(0);
            header.set_uid(0);
            header.set_gid(0);
            header.set_entry_type(tar::EntryType::Regular);
            let name = Path::new(root).join(&relative);
            builder
                .append_data(&mut header, &name, data.as_slice())
                .map_err(io_error(&path))?;
        }
        let encoder = builder.into_inner().map_err(io_error(archive))?;
        encoder.finish().map_err(io_error(archive))?;
    }
    std::fs::write(archive, &bytes).map_err(io_error(archive))?;
    Ok(hex(&Sha256::digest(&bytes)))
}

/// Writes `SHA256SUMS` beside the archives: `<hex>  <file name>` lines, as `sha256sum -c` reads.
pub fn write_sums(path: &Path, entries: &[(String, String)]) -> Result<(), ArchiveError> {
    let mut file = std::fs::File::create(path).map_err(io_error(path))?;
    for (sum, name) in entries {
        writeln!(file, "{sum}  {name}").map_err(io_error(path))?;
    }
    Ok(())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_content_same_bytes_and_every_file_inside() {
        let make = |order: &[&str]| {
            let dir = tempfile::tempdir().unwrap();
            for name in order {
                let path = dir.path().join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, format!("content of {name}")).unwrap();
            }
            dir
        };
        // Written in different orders (and at different times): the archive must not care.
        let a = make(&["b/x.yaml", "a.md", "b/c/y.html"]);
        std::thread::sleep(std::time::Duration::from_millis(20));
        let b = make(&["b/c/y.html", "a.md", "b/x.yaml"]);
        let out = tempfile::tempdir().unwrap();
        let (first, second) = (out.path().join("1.tar.gz"), out.path().join("2.tar.gz"));
        let sum_a = write(a.path(), "kit", &first).unwrap();
        let sum_b = write(b.path(), "kit", &second).unwrap();
        assert_eq!(sum_a, sum_b);
        assert_eq!(
            std::fs::read(&first).unwrap(),
            std::fs::read(&second).unwrap()
        );
        assert_eq!(sum_a.len(), 64);

        let decoder = flate2::read::GzDecoder::new(std::fs::File::open(&first).unwrap());
        let mut archive = tar::Archive::new(decoder);
        let names: Vec<String> = archive
            .entries()
            .unwrap()
            .map(|entry| entry.unwrap().path().unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["kit/a.md", "kit/b/c/y.html", "kit/b/x.yaml"]);
    }

    #[test]
    fn a_missing_folder_is_an_error_naming_it() {
        let out = tempfile::tempdir().unwrap();
        let error = write(
            Path::new("/no/such/folder"),
            "kit",
            &out.path().join("k.tar.gz"),
        )
        .unwrap_err();
        assert!(error.to_string().contains("/no/such/folder"), "{error}");
    }
}
