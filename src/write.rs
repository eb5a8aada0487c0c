//! WRITE: the only code that writes to the output folder.
//!
//! Pages are written into a staging folder next to `output/` while the build renders.
//! Only when every page has rendered does [`Output::commit`] put the new output together
//! (in the folder the last build replaced, brought up to date, when one is kept) and swap
//! it in, so a build that fails on content or templates leaves the previous output
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
    /// Where the last output is kept between builds, to be brought up to date and swapped
    /// in by the next (see [`Output::keep_spare_in`]); `None` to remove it instead.
    spare: Option<PathBuf>,
    /// A lock on the folder holding the output folder, held until the build is done:
    /// a second build into the same place waits rather than removing this one's staging
    /// folder as a leftover. Declared last, so it is released last.
    _lock: Option<std::fs::File>,
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
        // A symlinked output folder: the swap happens where it points.
        let output = &match std::fs::symlink_metadata(output) {
            Ok(m) if m.file_type().is_symlink() => {
                std::fs::canonicalize(output).map_err(|e| Error::write(output, e))?
            }
            _ => output.to_path_buf(),
        };
        if output.exists() && !output.is_dir() {
            return Err(Error::write(
                output,
                std::io::Error::other(
                    "it exists and is not a folder; move it or choose another output folder",
                ),
            ));
        }
        let (parent, name) = parent_and_name(output);
        std::fs::create_dir_all(&parent).map_err(|e| Error::write(&parent, e))?;
        let lock = lock_folder(&parent, output);
        recover(output);
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.staging-"))
            .tempdir_in(&parent)
            .map_err(|e| Error::write(&parent, e))?;
        Ok(Output {
            output: output.to_path_buf(),
            staging,
            previous,
            next: Mutex::new(Manifest::default()),
            claimed: Mutex::new(BTreeSet::new()),
            staged: Mutex::new(Vec::new()),
            spare: None,
            _lock: lock,
        })
    }

    /// Keeps the replaced output folder at `home` after the swap, instead of removing
    /// it, and starts from the one kept there by the last build. Its files are mostly
    /// hard links to the output's own, so the next build only re-links what changed
    /// since, where it would otherwise link every file into a new folder and remove the
    /// old one. `home` must be on the output's file system to help (the build cache
    /// usually is); elsewhere the build works as without it. A spare that is deleted,
    /// damaged or out of date only costs time: every file it keeps is checked to be the
    /// output's own (the same inode) or replaced.
    pub fn keep_spare_in(mut self, home: PathBuf) -> Output {
        self.spare = Some(home);
        self
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

    /// Puts the whole new output together in a folder beside the output (the spare, see
    /// [`Output::keep_spare_in`], or an empty one) and swaps it in for the output folder
    /// in one step: staged files are moved in, files kept from the last build are
    /// hard-linked in (copied where links are not possible), files this build no longer
    /// produces are left out, and files no build ever produced (put there by hand) are
    /// kept. The replaced folder becomes the next spare, or is removed. A crash at any
    /// point leaves the old folder or the new one, never a mix. Returns the new manifest
    /// and what was done.
    pub fn commit(self) -> Result<(Manifest, Written)> {
        let next = self.next.into_inner().expect("no panics while locked");
        let staged = self.staged.into_inner().expect("no panics while locked");
        let mut done = Written {
            written: staged.len(),
            unchanged: next.files.len() - staged.len(),
            removed: 0,
        };
        if !self.output.exists() {
            // A spare kept from an output since deleted is of no use.
            if let Some(home) = &self.spare {
                let _ = std::fs::remove_dir_all(home);
            }
            // First build: the staging folder becomes the output folder in one rename.
            let staged_dir = self.staging.keep();
            std::fs::rename(&staged_dir, &self.output).map_err(|e| {
                let _ = std::fs::remove_dir_all(&staged_dir);
                Error::write(&self.output, e)
            })?;
            return Ok((next, done));
        }
        let staged: BTreeSet<&str> = staged.iter().map(String::as_str).collect();
        let spare = take_spare(&self.output, self.spare.as_deref())?;
        // Both folders listed at once: each walk is mostly system calls.
        let (listed, spare_listed) = rayon::join(|| list(&self.output), || list(spare.path()));
        let listed = listed?;
        // A spare that cannot be read is removed (what is left of it, by `recover`) and
        // a new one started.
        let (mut spare, spare_listed) = match spare_listed {
            Ok(listed) => (spare, listed),
            Err(_) => (take_spare(&self.output, None)?, Vec::new()),
        };
        // What to carry over from the old output.
        let mut carried: Vec<(String, Option<u64>)> = Vec::new();
        // The old output's contents, to remove it after the swap without a second walk.
        let mut old = Tree::default();
        for entry in listed {
            if entry.folder {
                old.folders.push((entry.depth, entry.rel));
                continue;
            }
            old.files.push(entry.rel.clone());
            let rel = entry.rel;
            let keep = if next.files.contains_key(&rel) {
                // Unchanged since the last build, unless a new version is staged.
                !staged.contains(rel.as_str())
            } else {
                // Not produced by this build: stale when the last build made it (or when
                // there is no record of what it made), else someone else's file.
                let stale =
                    self.previous.files.is_empty() || self.previous.files.contains_key(&rel);
                done.removed += usize::from(stale);
                !stale
            };
            if keep {
                safe_join(self.staging.path(), &rel)?;
                carried.push((rel, entry.id));
            }
        }
        let kept = carried
            .iter()
            .filter(|(rel, _)| next.files.contains_key(rel))
            .count();
        if kept != done.unchanged {
            return Err(Error::write(
                &self.output,
                std::io::Error::other(
                    "files of the last build disappeared while this one ran; build again",
                ),
            ));
        }
        let folders = folders_of(&carried, &staged);
        let from_spare = !spare_listed.is_empty();
        let prepared = match prepare(
            spare.path(),
            spare_listed,
            &self.output,
            &carried,
            &staged,
            &folders,
        ) {
            // A spare that cannot be brought up to date (a file in it that cannot be
            // removed, say) only costs time: set it aside and start from nothing.
            Err(_) if from_spare => {
                spare = take_spare(&self.output, None)?;
                prepare(
                    spare.path(),
                    Vec::new(),
                    &self.output,
                    &carried,
                    &staged,
                    &folders,
                )
            }
            prepared => prepared,
        };
        complete(
            spare.path(),
            self.staging.path(),
            &staged,
            prepared?,
            &folders,
        )?;
        swap(spare.path(), &self.output)?;
        // The spare folder now holds the old output.
        let spare = spare.keep();
        let kept_as_spare = self.spare.as_ref().is_some_and(|home| {
            home.parent()
                .is_some_and(|dir| std::fs::create_dir_all(dir).is_ok())
                && std::fs::rename(&spare, home).is_ok()
        });
        if !kept_as_spare {
            old.remove(&spare);
        }
        Ok((next, done))
    }
}

/// A new folder beside `output`, to become the next output: the spare kept at `home`
/// by the last build moved there when there is one (and it can be moved), else empty.
/// It is removed when dropped, as on any error before the swap.
fn take_spare(output: &Path, home: Option<&Path>) -> Result<tempfile::TempDir> {
    let spare = beside(output, "spare")?;
    let Some(home) = home else {
        return Ok(spare);
    };
    let dir = spare.path();
    match std::fs::symlink_metadata(home) {
        // Only a real folder: a symbolic link would have the build work wherever it
        // points, and swap the link in for the output.
        Ok(meta) if meta.is_dir() => {
            // An empty folder cannot be replaced by a rename everywhere: remove it
            // first (the folder lock keeps other builds away from the name meanwhile).
            std::fs::remove_dir(dir).map_err(|e| Error::write(dir, e))?;
            if std::fs::rename(home, dir).is_err() {
                // On another file system, say: it cannot help, and would only go stale.
                let _ = std::fs::remove_dir_all(home);
                std::fs::create_dir(dir).map_err(|e| Error::write(dir, e))?;
            }
        }
        Ok(_) => {
            let _ = std::fs::remove_file(home);
        }
        Err(_) => {}
    }
    Ok(spare)
}

/// Every folder of the new output: the folders holding the files `carried` and `staged`.
fn folders_of<'a>(
    carried: &'a [(String, Option<u64>)],
    staged: &BTreeSet<&'a str>,
) -> BTreeSet<&'a str> {
    let mut folders: BTreeSet<&str> = BTreeSet::new();
    for rel in carried
        .iter()
        .map(|(rel, _)| rel.as_str())
        .chain(staged.iter().copied())
    {
        let mut at = rel;
        while let Some((folder, _)) = at.rsplit_once('/') {
            if !folders.insert(folder) {
                break;
            }
            at = folder;
        }
    }
    folders
}

/// Makes `spare`, whose contents are `listed`, hold the new output but for the files
/// `staged` (see [`complete`]): the files `carried` over from `output` (with their
/// identity there), in the `folders` of the new output, and nothing else. A file the
/// spare holds is kept only when it is the output's own file (the same inode, a hard link
/// from an earlier build); everything else in it is removed or replaced, so whatever
/// state the spare is in, the result is exact. Returns the spare's folders, for
/// [`complete`] to remove those the new output no longer has.
fn prepare(
    spare: &Path,
    listed: Vec<Listed>,
    output: &Path,
    carried: &[(String, Option<u64>)],
    staged: &BTreeSet<&str>,
    folders: &BTreeSet<&str>,
) -> Result<Vec<(usize, String)>> {
    use rayon::prelude::*;
    use std::collections::{HashMap, HashSet};
    let wanted: HashMap<&str, Option<u64>> = carried
        .iter()
        .map(|(rel, id)| (rel.as_str(), *id))
        .collect();
    // Keep the spare's files that are the output's own, remove the rest (a staged file
    // replaces its namesake by a rename).
    let mut linked: HashSet<String> = HashSet::new();
    let mut spare_folders: Vec<(usize, String)> = Vec::new();
    for entry in listed {
        if entry.folder {
            spare_folders.push((entry.depth, entry.rel));
            continue;
        }
        match wanted.get(entry.rel.as_str()) {
            Some(&Some(id)) if entry.id == Some(id) => {
                linked.insert(entry.rel);
            }
            _ if staged.contains(entry.rel.as_str()) => {}
            _ => {
                let path = spare.join(&entry.rel);
                std::fs::remove_file(&path).map_err(|e| Error::write(&path, e))?;
            }
        }
    }
    // A folder where the new output has a file goes now; folders it no longer has go
    // last (in `complete`), once emptied.
    for (_, rel) in &spare_folders {
        if wanted.contains_key(rel.as_str()) || staged.contains(rel.as_str()) {
            let path = spare.join(rel);
            if path.exists() {
                std::fs::remove_dir_all(&path).map_err(|e| Error::write(&path, e))?;
            }
        }
    }
    let present: HashSet<&str> = spare_folders.iter().map(|(_, f)| f.as_str()).collect();
    folders
        .par_iter()
        .filter(|folder| !present.contains(*folder))
        .try_for_each(|folder| {
            let dir = spare.join(folder);
            std::fs::create_dir_all(&dir).map_err(|e| Error::write(&dir, e))
        })?;
    carried
        .par_iter()
        .filter(|(rel, _)| !linked.contains(rel))
        .try_for_each(|(rel, _)| {
            let to = spare.join(rel);
            link_or_copy(&output.join(rel), &to).map_err(|e| Error::write(&to, e))
        })?;
    Ok(spare_folders)
}

/// Completes a spare [`prepare`]d: moves the `staged` files in from `staging`, then
/// removes the spare's folders (`spare_folders`) that are not among the new output's
/// `folders`, deepest first.
fn complete(
    spare: &Path,
    staging: &Path,
    staged: &BTreeSet<&str>,
    mut spare_folders: Vec<(usize, String)>,
    folders: &BTreeSet<&str>,
) -> Result<()> {
    use rayon::prelude::*;
    staged.par_iter().try_for_each(|rel| {
        let to = spare.join(rel);
        std::fs::rename(staging.join(rel), &to).map_err(|e| Error::write(&to, e))
    })?;
    spare_folders.sort_by_key(|f| std::cmp::Reverse(f.0));
    for (_, rel) in &spare_folders {
        if !folders.contains(rel.as_str()) {
            // Already gone when a file took its place; non-empty is not possible.
            let _ = std::fs::remove_dir(spare.join(rel));
        }
    }
    Ok(())
}

/// An entry of a folder, as [`list`] gives it.
struct Listed {
    /// Its path relative to the folder, with `/` between segments.
    rel: String,
    depth: usize,
    folder: bool,
    /// Its identity on the file system, for files (see [`file_id`]).
    id: Option<u64>,
}

/// Everything under `root`, in one walk (no `stat` calls: the kinds and identities come
/// with the folder listings).
fn list(root: &Path) -> Result<Vec<Listed>> {
    walkdir::WalkDir::new(root)
        .min_depth(1)
        .follow_root_links(false)
        .into_iter()
        .map(|entry| {
            let entry = entry.map_err(|e| {
                let path = e.path().unwrap_or(root).to_path_buf();
                Error::write(&path, e.into())
            })?;
            let folder = entry.file_type().is_dir();
            Ok(Listed {
                rel: entry
                    .path()
                    .strip_prefix(root)
                    .unwrap_or(entry.path())
                    .to_string_lossy()
                    .replace('\\', "/"),
                depth: entry.depth(),
                folder,
                id: if folder { None } else { file_id(&entry) },
            })
        })
        .collect()
}

/// What identifies a file on its file system (its inode), where the platform says.
#[cfg(unix)]
fn file_id(entry: &walkdir::DirEntry) -> Option<u64> {
    use walkdir::DirEntryExt;
    Some(entry.ino())
}

/// What identifies a file on its file system: unknown here, so a spare is always
/// re-linked in full.
#[cfg(not(unix))]
fn file_id(_: &walkdir::DirEntry) -> Option<u64> {
    None
}

/// Hard-links `from` to `to` (whose folder exists), or copies it when the file system
/// cannot link.
fn link_or_copy(from: &Path, to: &Path) -> std::io::Result<()> {
    match std::fs::hard_link(from, to) {
        Ok(()) => Ok(()),
        Err(_) => std::fs::copy(from, to).map(|_| ()),
    }
}

/// What a folder held (paths relative to it, folders with their depth).
#[derive(Default)]
struct Tree {
    files: Vec<String>,
    folders: Vec<(usize, String)>,
}

impl Tree {
    /// Removes these files and folders from `dir`, then `dir` itself, in parallel (an
    /// old output folder can hold tens of thousands of files). Errors are ignored:
    /// whatever is left is removed by the next build ([`recover`]).
    fn remove(mut self, dir: &Path) {
        use rayon::prelude::*;
        self.files.par_iter().for_each(|f| {
            let _ = std::fs::remove_file(dir.join(f));
        });
        // Deepest first; each depth in parallel.
        self.folders.sort_by_key(|f| std::cmp::Reverse(f.0));
        for level in self.folders.chunk_by(|a, b| a.0 == b.0) {
            level.par_iter().for_each(|(_, d)| {
                let _ = std::fs::remove_dir(dir.join(d));
            });
        }
        // Anything the list missed.
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// Exchanges the folders `new` and `output` (both exist). On Linux this is one atomic
/// `renameat2(RENAME_EXCHANGE)`; where that is not supported, `output` is first renamed
/// aside (to `.<name>.old-*`, which [`recover`] puts back if the process dies before the
/// second rename), then `new` takes its place. Afterwards `new` holds the old output.
fn swap(new: &Path, output: &Path) -> Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, new, CWD, output, RenameFlags::EXCHANGE) {
            Ok(()) => return Ok(()),
            Err(e)
                if e == rustix::io::Errno::INVAL
                    || e == rustix::io::Errno::NOSYS
                    || e == rustix::io::Errno::OPNOTSUPP => {}
            Err(e) => return Err(Error::write(output, e.into())),
        }
    }
    swap_by_renames(new, output)
}

/// [`swap`] in two renames, for systems without an atomic exchange.
fn swap_by_renames(new: &Path, output: &Path) -> Result<()> {
    let aside = beside(output, "old")?.keep();
    std::fs::remove_dir(&aside).map_err(|e| Error::write(&aside, e))?;
    std::fs::rename(output, &aside).map_err(|e| Error::write(output, e))?;
    if let Err(e) = std::fs::rename(new, output) {
        let _ = std::fs::rename(&aside, output);
        return Err(Error::write(output, e));
    }
    std::fs::rename(&aside, new).map_err(|e| Error::write(new, e))
}

/// A new empty folder `.<name>.<kind>-<random>` beside the output folder `<name>`,
/// removed when dropped unless kept; [`recover`] deals with one a killed build leaves.
fn beside(output: &Path, kind: &str) -> Result<tempfile::TempDir> {
    let (parent, name) = parent_and_name(output);
    tempfile::Builder::new()
        .prefix(&format!(".{name}.{kind}-"))
        .tempdir_in(&parent)
        .map_err(|e| Error::write(&parent, e))
}

/// The folder holding `output` and `output`'s name.
fn parent_and_name(output: &Path) -> (PathBuf, String) {
    let parent = output
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    (parent.to_path_buf(), name)
}

/// Takes an exclusive lock on the folder `parent` (waiting, with a note on stderr, while
/// another build holds it). `None` where locks are not available: the build then runs
/// unguarded, as before.
fn lock_folder(parent: &Path, output: &Path) -> Option<std::fs::File> {
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{FlockOperation, flock};
        let dir = std::fs::File::open(parent).ok()?;
        if flock(&dir, FlockOperation::NonBlockingLockExclusive).is_err() {
            eprintln!(
                "waiting for another build into {} to finish…",
                output.display()
            );
            flock(&dir, FlockOperation::LockExclusive).ok()?;
        }
        Some(dir)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = (parent, output);
        None
    }
}

/// Cleans up after a build that was killed: puts back an output folder left renamed
/// aside mid-swap, and removes leftover staging folders. Runs under [`lock_folder`]'s
/// lock, so no other build's staging folder is mistaken for a leftover.
fn recover(output: &Path) {
    let (parent, name) = parent_and_name(output);
    let Ok(entries) = std::fs::read_dir(&parent) else {
        return;
    };
    let (staging, old, spare) = (
        format!(".{name}.staging-"),
        format!(".{name}.old-"),
        format!(".{name}.spare-"),
    );
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if file_name.starts_with(&old) && !output.exists() {
            let _ = std::fs::rename(&path, output);
        } else if [&staging, &old, &spare]
            .iter()
            .any(|prefix| file_name.starts_with(prefix.as_str()))
        {
            let _ = std::fs::remove_dir_all(&path);
        }
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
    fn both_swaps_exchange_the_folders() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("new"), dir.path().join("output"));
        for (d, f) in [(&a, "new.txt"), (&b, "old.txt")] {
            std::fs::create_dir(d).unwrap();
            std::fs::write(d.join(f), f).unwrap();
        }
        swap(&a, &b).unwrap();
        assert!(b.join("new.txt").exists() && a.join("old.txt").exists());
        swap_by_renames(&a, &b).unwrap();
        assert!(b.join("old.txt").exists() && a.join("new.txt").exists());
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 2, "nothing left aside");
    }

    #[test]
    fn an_output_left_aside_by_a_killed_swap_is_put_back() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let aside = dir.path().join(".output.old-x1");
        std::fs::create_dir(&aside).unwrap();
        std::fs::write(aside.join("page.html"), "old").unwrap();
        let staging = dir.path().join(".output.staging-y2");
        std::fs::create_dir(&staging).unwrap();
        let pending = Output::new(&out, Manifest::default()).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("page.html")).unwrap(),
            "old"
        );
        assert!(!aside.exists() && !staging.exists());
        drop(pending);
    }

    #[test]
    fn commit_keeps_files_no_build_made_and_drops_stale_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("output");
        let first = Output::new(&out, Manifest::default()).unwrap();
        first.put("a.html", b"a", 1, vec![]).unwrap();
        first.put("old/b.html", b"b", 1, vec![]).unwrap();
        let (manifest, _) = first.commit().unwrap();
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let second = Output::new(&out, manifest).unwrap();
        assert!(second.reuse("a.html", 1).unwrap().is_some());
        second.put("c.html", b"c", 1, vec![]).unwrap();
        let (_, done) = second.commit().unwrap();
        assert_eq!((done.written, done.unchanged, done.removed), (1, 1, 1));
        let mut files: Vec<_> = walkdir::WalkDir::new(&out)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        files.sort();
        assert_eq!(files, ["CNAME", "a.html", "c.html"]);
        assert!(!out.join("old").exists());
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

    /// Every file under `dir` with its bytes.
    fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
        walkdir::WalkDir::new(dir)
            .min_depth(1)
            .into_iter()
            .map(|e| e.unwrap())
            .filter(|e| e.file_type().is_file())
            .map(|e| {
                let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy();
                (rel.replace('\\', "/"), std::fs::read(e.path()).unwrap())
            })
            .collect()
    }

    /// Builds `pages` into `out` as a build does, keeping the spare at `home`.
    fn build(out: &Path, home: &Path, previous: Manifest, pages: &[(&str, &str)]) -> Manifest {
        let next = Output::new(out, previous)
            .unwrap()
            .keep_spare_in(home.to_path_buf());
        for (rel, text) in pages {
            if next.reuse(rel, fingerprint(text)).unwrap().is_none() {
                next.put(rel, text.as_bytes(), fingerprint(text), vec![])
                    .unwrap();
            }
        }
        next.commit().unwrap().0
    }

    fn fingerprint(text: &str) -> u64 {
        xxhash_rust::xxh3::xxh3_64(text.as_bytes())
    }

    /// `pages` as files, and the file put in the output by hand.
    fn with_cname(pages: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
        let mut files: BTreeMap<String, Vec<u8>> = pages
            .iter()
            .map(|(rel, text)| (rel.to_string(), text.as_bytes().to_vec()))
            .collect();
        files.insert("CNAME".into(), b"example.org".to_vec());
        files
    }

    #[test]
    fn a_spare_in_any_state_gives_the_exact_output() {
        let dir = tempfile::tempdir().unwrap();
        let (out, home) = (dir.path().join("output"), dir.path().join("cache/spare"));
        let first = [("a.html", "a"), ("b/c.html", "c"), ("d/e/f.html", "f")];
        let m = build(&out, &home, Manifest::default(), &first);
        assert!(!home.exists(), "a first build has no old output to keep");
        let second = [("a.html", "a2"), ("b/c.html", "c"), ("d/e/f.html", "f")];
        let m = build(&out, &home, m, &second);
        assert_eq!(
            std::fs::read(home.join("a.html")).unwrap(),
            b"a",
            "the old output"
        );
        // Damage the spare every way there is: a stray file, a file of the output
        // replaced by another, a folder where a file goes, a missing file.
        std::fs::write(home.join("stray.html"), "x").unwrap();
        std::fs::remove_file(home.join("b/c.html")).unwrap();
        std::fs::write(home.join("b/c.html"), "tampered").unwrap();
        std::fs::remove_file(home.join("a.html")).unwrap();
        std::fs::create_dir_all(home.join("a.html/inner")).unwrap();
        std::fs::remove_file(home.join("d/e/f.html")).unwrap();
        std::fs::write(out.join("CNAME"), "example.org").unwrap();
        let third = [
            ("a.html", "a3"),
            ("b/c.html", "c"),
            ("d/e/f.html", "f"),
            ("g", "g"),
        ];
        let m = build(&out, &home, m, &third);
        assert_eq!(files(&out), with_cname(&third));
        // A file becomes a folder and a folder a file, with the spare a build behind.
        let fourth = [("a.html/index.html", "a4"), ("b", "b"), ("g", "g")];
        build(&out, &home, m, &fourth);
        assert_eq!(files(&out), with_cname(&fourth));
        let beside: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(beside.len(), 2, "only output and the cache: {beside:?}");
    }

    #[test]
    fn a_spare_is_not_written_through_to_the_output() {
        // Files the spare shares with the output (hard links) are replaced, never
        // written in place: the output keeps its bytes until the swap.
        let dir = tempfile::tempdir().unwrap();
        let (out, home) = (dir.path().join("output"), dir.path().join("cache/spare"));
        let m = build(&out, &home, Manifest::default(), &[("a", "1"), ("b", "1")]);
        let m = build(&out, &home, m, &[("a", "2"), ("b", "1")]);
        let m = build(&out, &home, m, &[("a", "2"), ("b", "2")]);
        assert_eq!(std::fs::read(home.join("a")).unwrap(), b"2");
        assert_eq!(std::fs::read(home.join("b")).unwrap(), b"1");
        let pending = Output::new(&out, m).unwrap().keep_spare_in(home.clone());
        pending.put("a", b"3", 3, vec![]).unwrap();
        pending.put("b", b"3", 3, vec![]).unwrap();
        assert_eq!(files(&out)["a"], b"2", "nothing changes before the commit");
        drop(pending);
        assert_eq!(files(&out)["b"], b"2", "a failed build changes nothing");
    }

    #[cfg(unix)]
    #[test]
    fn a_spare_that_is_a_link_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let (out, home) = (dir.path().join("output"), dir.path().join("cache/spare"));
        let m = build(&out, &home, Manifest::default(), &[("a", "1")]);
        let m = build(&out, &home, m, &[("a", "2")]);
        // The spare replaced by a link to a folder of someone else's, and then by a link
        // to the output itself.
        let victim = dir.path().join("victim");
        std::fs::create_dir(&victim).unwrap();
        std::fs::write(victim.join("notes.txt"), "precious").unwrap();
        std::fs::remove_dir_all(&home).unwrap();
        std::os::unix::fs::symlink(&victim, &home).unwrap();
        let m = build(&out, &home, m, &[("a", "3"), ("b", "3")]);
        assert_eq!(files(&victim).len(), 1, "the link's target is left alone");
        assert!(std::fs::symlink_metadata(&out).unwrap().is_dir());
        assert_eq!(files(&out).len(), 2);
        std::fs::remove_dir_all(&home).unwrap();
        std::os::unix::fs::symlink(&out, &home).unwrap();
        build(&out, &home, m, &[("a", "4")]);
        assert!(std::fs::symlink_metadata(&out).unwrap().is_dir());
        assert_eq!(
            files(&out),
            BTreeMap::from([("a".to_string(), b"4".to_vec())])
        );
        assert_eq!(
            std::fs::read(victim.join("notes.txt")).unwrap(),
            b"precious"
        );
    }

    #[test]
    fn a_spare_of_a_deleted_output_is_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let (out, home) = (dir.path().join("output"), dir.path().join("cache/spare"));
        let m = build(&out, &home, Manifest::default(), &[("a", "1")]);
        build(&out, &home, m, &[("a", "2")]);
        assert!(home.is_dir());
        std::fs::remove_dir_all(&out).unwrap();
        build(&out, &home, Manifest::default(), &[("a", "3")]);
        assert!(
            !home.exists(),
            "no old pages kept for an output that is gone"
        );
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
        /// Whatever sequence of builds, and whatever becomes of the spare between them
        /// (kept, deleted), the output holds exactly the last build's files.
        #[test]
        fn every_build_gives_exactly_its_files(
            builds in proptest::collection::vec(
                (proptest::collection::btree_map(
                    proptest::sample::select(vec!["a", "b", "a/b", "a/c", "c/d/e", "c/d", "c"]),
                    0u8..2, 0..5), proptest::bool::weighted(0.2)),
                1..8)
        ) {
            let dir = tempfile::tempdir().unwrap();
            let (out, home) = (dir.path().join("output"), dir.path().join("cache/spare"));
            let mut manifest = Manifest::default();
            for (pages, drop_spare) in builds {
                // A path cannot be both a file and a folder in one build.
                let pages: Vec<(String, String)> = pages
                    .iter()
                    .filter(|(rel, _)| !pages.keys().any(|o| o.starts_with(&format!("{rel}/"))))
                    .map(|(rel, v)| (rel.to_string(), format!("{rel}:{v}")))
                    .collect();
                if drop_spare {
                    let _ = std::fs::remove_dir_all(&home);
                }
                let borrowed: Vec<(&str, &str)> =
                    pages.iter().map(|(r, t)| (r.as_str(), t.as_str())).collect();
                manifest = build(&out, &home, manifest, &borrowed);
                let expected: BTreeMap<String, Vec<u8>> = pages
                    .into_iter()
                    .map(|(rel, text)| (rel, text.into_bytes()))
                    .collect();
                proptest::prop_assert_eq!(files(&out), expected);
            }
        }
    }
}
