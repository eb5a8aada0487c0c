//! WRITE: the only code that writes to the output folder.
//!
//! Pages are written into a staging folder next to `output/` while the build renders.
//! Only when every page has rendered does [`Output::commit`] move the staged files into
//! place, so a build that fails on content or templates leaves the previous output
//! untouched. Between builds a [`Manifest`] (kept in the build cache) records each
//! output file's input fingerprint and content hash: unchanged pages are neither
//! rendered nor written, and files that are no longer produced are removed. Every path
//! is checked to be a plain relative path, so nothing is written outside the output
//! folder.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::cache::stamp;
use crate::diagnostics::Diagnostic;
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

/// What the last build wrote: by output path, the page's input fingerprint, its content
/// hash, the size and modification time it had on disk, and the warnings found while
/// rendering it (re-reported when the page is skipped).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Output files by path relative to the output folder.
    pub files: BTreeMap<String, ManifestEntry>,
}

/// One output file in the [`Manifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    /// Hash of everything the page was rendered from.
    pub fingerprint: u64,
    /// Hash of the bytes written.
    pub content: u64,
    /// Size on disk.
    pub size: u64,
    /// Modification time on disk (ns since the epoch).
    pub mtime_ns: i128,
    /// Warnings found while rendering it.
    pub warnings: Vec<Diagnostic>,
}

/// An output folder being rebuilt: a staging folder for new and changed files, the
/// previous manifest, and the manifest being built.
pub struct Output {
    output: PathBuf,
    staging: tempfile::TempDir,
    previous: Manifest,
    next: Mutex<Manifest>,
    claimed: Mutex<BTreeSet<String>>,
    staged: Mutex<Vec<String>>,
}

/// Counts of what a build did with its files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Written {
    /// Files written (new or changed).
    pub written: usize,
    /// Files left as they were.
    pub unchanged: usize,
    /// Stale files removed.
    pub removed: usize,
}

impl Output {
    /// Starts rebuilding `output`. `previous` is the manifest of the last build into it
    /// (empty when unknown: then every file is written and anything else is removed).
    pub fn new(output: &Path, previous: Manifest) -> Result<Output> {
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
        Ok(Output {
            output: output.to_path_buf(),
            staging,
            previous,
            next: Mutex::new(Manifest::default()),
            claimed: Mutex::new(BTreeSet::new()),
            staged: Mutex::new(Vec::new()),
        })
    }

    fn claim(&self, rel: &str) -> Result<()> {
        safe_join(&self.output, rel)?;
        let mut claimed = self.claimed.lock().expect("no panics while locked");
        if !claimed.insert(rel.to_string()) {
            return Err(Error::DuplicateOutput {
                path: rel.to_string(),
            });
        }
        Ok(())
    }

    /// The previous entry for `rel` when the file on disk is still the one it describes.
    fn intact(&self, rel: &str) -> Option<&ManifestEntry> {
        let entry = self.previous.files.get(rel)?;
        let meta = std::fs::metadata(self.output.join(rel)).ok()?;
        (stamp(&meta) == (entry.size, entry.mtime_ns)).then_some(entry)
    }

    /// When the page at `rel` was built from the same inputs last time and its file is
    /// intact, keeps it and returns its warnings: the caller need not render it.
    pub fn reuse(&self, rel: &str, fingerprint: u64) -> Result<Option<Vec<Diagnostic>>> {
        // The fingerprint first: it is free, the file check costs a system call.
        if self
            .previous
            .files
            .get(rel)
            .is_none_or(|e| e.fingerprint != fingerprint)
        {
            return Ok(None);
        }
        let Some(entry) = self.intact(rel) else {
            return Ok(None);
        };
        self.claim(rel)?;
        let entry = entry.clone();
        let warnings = entry.warnings.clone();
        self.record(rel, entry);
        Ok(Some(warnings))
    }

    /// Records the page at `rel`: written to staging unless the same bytes are already in
    /// place.
    pub fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        fingerprint: u64,
        warnings: Vec<Diagnostic>,
    ) -> Result<()> {
        self.claim(rel)?;
        let content = xxhash_rust::xxh3::xxh3_64(bytes);
        let entry = match self.intact(rel).filter(|e| e.content == content) {
            Some(old) => ManifestEntry {
                fingerprint,
                warnings,
                ..old.clone()
            },
            None => {
                let target = safe_join(self.staging.path(), rel)?;
                let meta = write_file(&target, bytes).map_err(|e| Error::write(&target, e))?;
                self.staged(rel, &meta, fingerprint, content, warnings)
            }
        };
        self.record(rel, entry);
        Ok(())
    }

    /// Notes that `rel` was written to staging, and returns its manifest entry.
    fn staged(
        &self,
        rel: &str,
        meta: &std::fs::Metadata,
        fingerprint: u64,
        content: u64,
        warnings: Vec<Diagnostic>,
    ) -> ManifestEntry {
        let (size, mtime_ns) = stamp(meta);
        self.staged
            .lock()
            .expect("no panics while locked")
            .push(rel.to_string());
        ManifestEntry {
            fingerprint,
            content,
            size,
            mtime_ns,
            warnings,
        }
    }

    /// Adds `rel` to the manifest being built.
    fn record(&self, rel: &str, entry: ManifestEntry) {
        self.next
            .lock()
            .expect("no panics while locked")
            .files
            .insert(rel.to_string(), entry);
    }

    /// Records the file at `rel`, produced by `produce` writing straight into the staging
    /// folder (for large exports, which are never held whole in memory). When the bytes
    /// equal the file already in place, the staged copy is dropped.
    pub fn put_with(
        &self,
        rel: &str,
        fingerprint: u64,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        self.claim(rel)?;
        let target = safe_join(self.staging.path(), rel)?;
        if let Some(dir) = target.parent() {
            std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
        }
        let file = std::fs::File::create(&target).map_err(|e| Error::write(&target, e))?;
        let mut w = HashingWriter {
            inner: std::io::BufWriter::with_capacity(1 << 16, file),
            hasher: xxhash_rust::xxh3::Xxh3::new(),
        };
        produce(&mut w)
            .and_then(|()| std::io::Write::flush(&mut w))
            .map_err(|e| Error::write(&target, e))?;
        let content = w.hasher.digest();
        drop(w);
        let entry = match self.intact(rel).filter(|e| e.content == content) {
            Some(old) => {
                std::fs::remove_file(&target).map_err(|e| Error::write(&target, e))?;
                ManifestEntry {
                    fingerprint,
                    ..old.clone()
                }
            }
            None => {
                let meta = std::fs::metadata(&target).map_err(|e| Error::write(&target, e))?;
                self.staged(rel, &meta, fingerprint, content, Vec::new())
            }
        };
        self.record(rel, entry);
        Ok(())
    }

    /// Moves the staged files into the output folder and removes files that are no
    /// longer produced. Returns the new manifest and what was done.
    pub fn commit(self) -> Result<(Manifest, Written)> {
        let next = self.next.into_inner().expect("no panics while locked");
        let mut staged = self.staged.into_inner().expect("no panics while locked");
        let mut done = Written {
            written: staged.len(),
            unchanged: next.files.len() - staged.len(),
            removed: 0,
        };
        if !self.output.exists() {
            // First build: the staging folder becomes the output folder in one rename.
            let staged_dir = self.staging.keep();
            std::fs::rename(&staged_dir, &self.output).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged_dir);
                Error::write(&self.output, e)
            })?;
            return Ok((next, done));
        }
        staged.sort();
        for rel in &staged {
            let from = self.staging.path().join(rel);
            let to = self.output.join(rel);
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(|e| Error::write(dir, e))?;
            }
            std::fs::rename(&from, &to).map_err(|e| Error::write(&to, e))?;
        }
        let stale: Vec<PathBuf> = if self.previous.files.is_empty() {
            // No manifest: the folder's contents are unknown, so remove everything that
            // this build did not produce.
            walkdir::WalkDir::new(&self.output)
                .into_iter()
                .filter_map(std::result::Result::ok)
                .filter(|e| !e.file_type().is_dir())
                .filter(|e| {
                    let rel = e.path().strip_prefix(&self.output).unwrap_or(e.path());
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    !next.files.contains_key(&rel)
                })
                .map(walkdir::DirEntry::into_path)
                .collect()
        } else {
            self.previous
                .files
                .keys()
                .filter(|rel| !next.files.contains_key(*rel))
                .map(|rel| self.output.join(rel))
                .collect()
        };
        let mut dirs = BTreeSet::new();
        for path in &stale {
            match std::fs::remove_file(path) {
                Ok(()) => done.removed += 1,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::write(path, e)),
            }
            let mut dir = path.parent();
            while let Some(d) = dir.filter(|d| *d != self.output) {
                dirs.insert(d.to_path_buf());
                dir = d.parent();
            }
        }
        // Deepest first, so emptied parents go too; a folder that is not empty stays.
        for d in dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        Ok((next, done))
    }
}

/// Writes `bytes` to `path` (creating its folder when needed) and returns the file's
/// metadata, read from the open file rather than by a second path lookup.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<std::fs::Metadata> {
    use std::io::Write;
    let mut file = match std::fs::File::create(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            std::fs::File::create(path)?
        }
        Err(e) => return Err(e),
    };
    file.write_all(bytes)?;
    file.metadata()
}

/// A writer that hashes what passes through it.
struct HashingWriter<W> {
    inner: W,
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl<W: std::io::Write> std::io::Write for HashingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Where rendered files go: the output folder being rebuilt ([`Output`]), or nowhere
/// ([`Discard`], for `check`).
pub trait Sink: Sync {
    /// Keeps the file at `rel` if it was built from inputs with this fingerprint; returns
    /// the warnings remembered for it, or `None` when it must be rendered.
    fn reuse(&self, rel: &str, fingerprint: u64) -> Result<Option<Vec<Diagnostic>>>;
    /// Takes the rendered file at `rel`.
    fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        fingerprint: u64,
        warnings: Vec<Diagnostic>,
    ) -> Result<()>;
    /// Takes the file at `rel` as `produce` writes it.
    fn put_with(
        &self,
        rel: &str,
        fingerprint: u64,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()>;
}

impl Sink for Output {
    fn reuse(&self, rel: &str, fingerprint: u64) -> Result<Option<Vec<Diagnostic>>> {
        Output::reuse(self, rel, fingerprint)
    }
    fn put(
        &self,
        rel: &str,
        bytes: &[u8],
        fingerprint: u64,
        warnings: Vec<Diagnostic>,
    ) -> Result<()> {
        Output::put(self, rel, bytes, fingerprint, warnings)
    }
    fn put_with(
        &self,
        rel: &str,
        fingerprint: u64,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        Output::put_with(self, rel, fingerprint, produce)
    }
}

/// A sink that renders everything and keeps nothing (still checking paths).
#[derive(Debug, Default)]
pub struct Discard;

impl Sink for Discard {
    fn reuse(&self, _: &str, _: u64) -> Result<Option<Vec<Diagnostic>>> {
        Ok(None)
    }
    fn put(&self, rel: &str, _: &[u8], _: u64, _: Vec<Diagnostic>) -> Result<()> {
        safe_join(Path::new("output"), rel).map(|_| ())
    }
    fn put_with(
        &self,
        rel: &str,
        _: u64,
        produce: &mut dyn FnMut(&mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> Result<()> {
        safe_join(Path::new("output"), rel)?;
        produce(&mut std::io::sink()).map_err(|e| Error::write(Path::new(rel), e))
    }
}

/// True when every file `manifest` lists is in `output` with the size and modification
/// time it had when written (checked in parallel).
pub fn intact(output: &Path, manifest: &Manifest) -> bool {
    use rayon::prelude::*;
    !manifest.files.is_empty()
        && manifest.files.par_iter().all(|(rel, entry)| {
            std::fs::metadata(output.join(rel))
                .is_ok_and(|m| stamp(&m) == (entry.size, entry.mtime_ns))
        })
}

/// Writes `files` as the whole new content of `output`: anything else there is removed.
pub fn commit(output: &Path, files: &[(String, Vec<u8>)]) -> Result<()> {
    let out = Output::new(output, Manifest::default())?;
    for (rel, bytes) in files {
        out.put(rel, bytes, 0, Vec::new())?;
    }
    out.commit().map(|_| ())
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
