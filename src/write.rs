//! WRITE: the only code that writes to the output folder.
//!
//! A build is written into a fresh staging folder next to `output/`, then swapped in with
//! two renames, so a failed or interrupted build leaves the previous output intact and
//! readers never see a half-written site. Every path is checked to be a plain relative
//! path, so nothing can be written outside the output folder.

use std::path::{Component, Path, PathBuf};

use crate::error::{Error, Result};

/// Checks that `rel` is a plain relative path (`a/b.html`): no root, no `..`, no `.`,
/// no empty or hidden-control segments, and returns it joined onto `root`.
pub fn safe_join(root: &Path, rel: &str) -> Result<PathBuf> {
    let unsafe_path = || Error::UnsafePath {
        path: rel.to_string(),
    };
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return Err(unsafe_path());
    }
    let path = Path::new(rel);
    for c in path.components() {
        match c {
            Component::Normal(s) if !s.is_empty() => {}
            _ => return Err(unsafe_path()),
        }
    }
    if rel
        .split('/')
        .any(|seg| seg.is_empty() || seg == "." || seg == "..")
    {
        return Err(unsafe_path());
    }
    Ok(root.join(path))
}

/// Writes `files` as the new content of `output`, atomically replacing what was there.
pub fn commit(output: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let staging = tempfile::Builder::new()
        .prefix(&format!(".{name}.staging-"))
        .tempdir_in(parent)
        .map_err(|e| Error::write(parent, e))?;
    // Validate every path before writing anything.
    let mut seen = std::collections::BTreeSet::new();
    for (rel, _) in files {
        if !seen.insert(rel.as_str()) {
            return Err(Error::DuplicateOutput { path: rel.clone() });
        }
    }
    let targets: Vec<PathBuf> = files
        .iter()
        .map(|(rel, _)| safe_join(staging.path(), rel))
        .collect::<Result<_>>()?;
    let mut dirs: Vec<&Path> = targets.iter().filter_map(|t| t.parent()).collect();
    dirs.sort();
    dirs.dedup();
    for d in dirs {
        std::fs::create_dir_all(d).map_err(|e| Error::write(d, e))?;
    }
    use rayon::prelude::*;
    targets
        .par_iter()
        .zip(files.par_iter())
        .try_for_each(|(target, (_, bytes))| {
            std::fs::write(target, bytes).map_err(|e| Error::write(target, e))
        })?;
    swap(staging, output, parent, &name)
}

fn swap(staging: tempfile::TempDir, output: &Path, parent: &Path, name: &str) -> Result<()> {
    let old = if output.exists() {
        let old = tempfile::Builder::new()
            .prefix(&format!(".{name}.old-"))
            .tempdir_in(parent)
            .map_err(|e| Error::write(parent, e))?;
        // Rename the current output over the (empty) placeholder directory.
        std::fs::rename(output, old.path()).map_err(|e| Error::write(output, e))?;
        Some(old)
    } else {
        None
    };
    let staged = staging.keep();
    if let Err(e) = std::fs::rename(&staged, output) {
        // Put the previous output back so a failed swap loses nothing.
        if let Some(old) = &old {
            let _ = std::fs::rename(old.path(), output);
        }
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::write(output, e));
    }
    // Dropping `old` deletes the previous output.
    drop(old);
    Ok(())
}

/// Writes one file (for `digest -o`, `new`): to a temporary file in the same folder,
/// then renamed over the target, so readers never see a partial file.
pub fn file(path: &Path, bytes: &[u8]) -> Result<()> {
    let parent = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| Error::write(parent, e))?;
    let mut tmp = tempfile::NamedTempFile::new_in(parent).map_err(|e| Error::write(parent, e))?;
    std::io::Write::write_all(&mut tmp, bytes).map_err(|e| Error::write(path, e))?;
    tmp.persist(path).map_err(|e| Error::write(path, e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use test_case::test_case;

    #[test_case("index.html", true)]
    #[test_case("topics/a/index.html", true)]
    #[test_case("../x", false)]
    #[test_case("a/../../x", false)]
    #[test_case("/etc/passwd", false)]
    #[test_case("a//b", false)]
    #[test_case("./a", false)]
    #[test_case("", false)]
    #[test_case("a\\..\\b", false)]
    fn only_plain_relative_paths(rel: &str, ok: bool) {
        assert_eq!(safe_join(Path::new("/out"), rel).is_ok(), ok, "{rel}");
    }

    #[test]
    fn commit_replaces_and_keeps_old_on_error() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        commit(&out, &[("a/b.txt".into(), b"one".to_vec())]).unwrap();
        assert_eq!(std::fs::read(out.join("a/b.txt")).unwrap(), b"one");
        let err = commit(
            &out,
            &[("ok.txt".into(), vec![]), ("../evil".into(), vec![])],
        );
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("a/b.txt")).unwrap(), b"one");
        assert!(!dir.path().join("evil").exists());
        let dup = commit(&out, &[("x".into(), vec![]), ("x".into(), vec![])]);
        assert!(matches!(dup, Err(Error::DuplicateOutput { .. })));
        commit(&out, &[("c.txt".into(), b"two".to_vec())]).unwrap();
        assert!(!out.join("a").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "staging folders cleaned up");
    }
}
